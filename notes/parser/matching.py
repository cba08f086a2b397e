"""Which stored question a parsed question continues, in stages, with no Django.

1. the same text in the same section, then the same text anywhere (a move);
2. among what is left in a section, walking both in order: the stored question
   in the same place, and a few neighbours around it, are the candidates;
3. a candidate is the same question when its wording is similar (a typo fixed):
   a length bound and difflib's quick ratios filter before the full ratio.

Each parsed question is compared with at most ``2 * window + 2`` stored ones
(usually one), so re-importing N reworded questions costs O(N) comparisons, not O(N²).
"""

from __future__ import annotations

import difflib
from collections import defaultdict, deque
from dataclasses import dataclass, field

# A question whose wording changed this little is the same question (a typo fixed).
SAME_QUESTION_RATIO = 0.8
# A question in its old place that is this similar is taken without looking further.
CLEARLY_SAME = 0.9
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


def _score(a: str, b: str, ratio: float, stats: MatchStats) -> float:
    stats.candidates += 1
    if _length_bound(a, b) < ratio:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.quick_ratio() < ratio:
        return 0.0
    stats.ratios += 1
    return matcher.ratio()


def _similar(text, columns, cursor, stored, taken, window, ratio, stats) -> int | None:
    """Index in ``columns`` of the stored question ``text`` rewords: the one in its place when
    clearly the same, else the most similar of its neighbours (None: a new question)."""
    if cursor < len(columns) and columns[cursor] not in taken:
        if _score(text, stored[columns[cursor]].text, ratio, stats) >= CLEARLY_SAME:
            return cursor
    best, best_score = None, ratio
    for k in range(max(0, cursor - window), min(len(columns), cursor + window + 1)):
        if columns[k] in taken:
            continue
        score = _score(text, stored[columns[k]].text, ratio, stats)
        if score >= best_score:
            best, best_score = k, score
    return best


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
    for section, rows in left_parsed.items():
        columns = left_stored.get(section, [])
        cursor = 0  # where the next question of the file would continue, in the stored order
        for i in rows:
            found = _similar(parsed[i].text, columns, cursor, stored, taken, window, ratio, stats)
            if found is not None:
                j = columns[found]
                matches[i] = j
                taken.add(j)
                stats.by_stage["similar"] += 1
                cursor = found + 1
    return matches
