"""Which stored question a parsed question continues, in stages, with no Django.

1. the same text in the same section, then the same text anywhere (a move);
2. among what is left in a section, a few neighbours by position are candidates;
3. a candidate is the same question when its wording is similar (a typo fixed):
   a length bound and difflib's quick ratios filter before the full ratio.

Each parsed question is compared with at most ``2 * window + 1`` stored ones, so
re-importing N reworded questions costs O(N) comparisons, not O(N²).
"""

from __future__ import annotations

import difflib
from collections import defaultdict, deque
from dataclasses import dataclass, field

# A question whose wording changed this little is the same question (a typo fixed).
SAME_QUESTION_RATIO = 0.8
NEIGHBOURS = 3


@dataclass(frozen=True)
class Entry:
    section: str
    text: str


@dataclass
class MatchStats:
    ratios: int = 0  # full difflib ratios computed
    candidates: int = 0  # pairs considered at all
    by_stage: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _length_bound(a: str, b: str) -> float:
    return 2 * min(len(a), len(b)) / (len(a) + len(b)) if a or b else 1.0


def match_questions(
    parsed: list[Entry], stored: list[Entry], *, similar: list[bool] | None = None,
    window: int = NEIGHBOURS, ratio: float = SAME_QUESTION_RATIO, stats: MatchStats | None = None,
) -> dict[int, int]:
    """Index in ``parsed`` → index in ``stored``. ``similar[j]`` says whether stored
    question j may be matched by similarity (questions typed on the site only by text)."""
    stats = stats if stats is not None else MatchStats()
    similar = similar if similar is not None else [True] * len(stored)
    matches: dict[int, int] = {}
    taken: set[int] = set()

    def exact(key):
        index = defaultdict(deque)
        for j, entry in enumerate(stored):
            index[key(entry)].append(j)
        for i, entry in enumerate(parsed):
            if i in matches:
                continue
            queue = index.get(key(entry))
            while queue and queue[0] in taken:
                queue.popleft()
            if queue:
                j = queue.popleft()
                matches[i] = j
                taken.add(j)
                stats.by_stage["exact"] += 1

    exact(lambda e: (e.section, e.text))
    exact(lambda e: e.text)

    left_parsed, left_stored = defaultdict(list), defaultdict(list)
    for i, entry in enumerate(parsed):
        if i not in matches:
            left_parsed[entry.section].append(i)
    for j, entry in enumerate(stored):
        if j not in taken and similar[j]:
            left_stored[entry.section].append(j)
    scored = []
    for section, rows in left_parsed.items():
        columns = left_stored.get(section, [])
        for rank, i in enumerate(rows):
            # Where this question would sit among what is left, scaled when counts differ.
            centre = rank * len(columns) // len(rows) if rows else 0
            for j in columns[max(0, centre - window): centre + window + 1]:
                stats.candidates += 1
                a, b = parsed[i].text, stored[j].text
                if _length_bound(a, b) < ratio:
                    continue
                matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
                if matcher.quick_ratio() < ratio:
                    continue
                stats.ratios += 1
                score = matcher.ratio()
                if score >= ratio:
                    scored.append((-score, i, j))
    for _, i, j in sorted(scored):
        if i not in matches and j not in taken:
            matches[i] = j
            taken.add(j)
            stats.by_stage["similar"] += 1
    return matches
