"""Search with random words from the notes, for scripts/bench.py: a page cache cannot
answer it (every request asks for another word), so the engine itself is measured. A second
row asks a few words again and again (a class searching what was searched before): that is
the shared page, served from the cache."""

from __future__ import annotations

import random
import re
from pathlib import Path
from urllib.parse import quote

WORDS = 400
AGAIN_WORDS = 20
_WORD = re.compile(r"[가-힣]{2,}|[A-Za-z][A-Za-z0-9-]{2,}")


def sample_words(questions, seed: int) -> list[str]:
    """Words written in the archive's questions (as typed: particles and all), in random order."""
    rng = random.Random(seed)
    words = sorted({word for text in questions.values_list("question", flat=True) for word in _WORD.findall(text)})
    rng.shuffle(words)
    return words[:WORDS]


def wrk_script(words: list[str], directory: Path, name: str) -> Path:
    """A wrk Lua script asking /search/ for one random word of ``words`` per request
    (wrk adds the -H headers, Accept-Encoding among them, to each)."""
    quoted = ", ".join(f'"{quote(word)}"' for word in words)
    path = directory / f"{name}.lua"
    path.write_text(
        f"local words = {{{quoted}}}\n"
        "math.randomseed(os.time())\n"
        "request = function()\n"
        "  return wrk.format('GET', '/search/?q=' .. words[math.random(#words)])\n"
        "end\n",
        encoding="utf-8",
    )
    return path
