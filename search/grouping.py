"""Near-duplicate questions, grouped: the chapter pages' FAQ shows each group as one entry.

Pure Python over the analysed terms the index stores (``SearchDocument.question_terms``: Korean
morphology and the glossary have already made 볼륨을/volume/vol one term), so two cohorts' wordings
of one question meet even when they share few words as written. Similarity is the cosine of the
terms' TF-IDF weights, the IDF taken over the questions being grouped (a term every question of a
chapter has, e.g. its main concept, tells little). Questions join greedily, in the caller's order,
the group whose closest member is similar enough; an inverted index keeps it near-linear, so a
chapter of a full archive (~500 questions) groups in milliseconds.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence

# Cosine at or above which two questions are one entry. Calibrated on the paraphrase pairs of
# search/evaluation/pairs.toml (scripts/chapter_bench.py prints the table): at 0.4, 31% of those
# deliberately unlike wordings meet and 11 of 18,240 unrelated pairs would; a wrong merge hides a
# question on the FAQ, a missed one only shows it twice, so precision comes first.
THRESHOLD = 0.4
# Terms in more than this share of the questions do not propose candidates (they still count).
COMMON_SHARE = 0.5
COMMON_MIN = 20  # (below this many questions every term proposes)


def weighted_vectors(documents: Sequence[Iterable[str]]) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors of ``documents`` (each an iterable of terms)."""
    counts = [Counter(terms) for terms in documents]
    frequency = Counter(term for count in counts for term in count)
    total = len(counts)
    vectors = []
    for count in counts:
        vector = {term: (1 + math.log(n)) * math.log(1 + total / frequency[term]) for term, n in count.items()}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        vectors.append({term: w / norm for term, w in vector.items()})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[term] for term, w in a.items() if term in b)


def group_near_duplicates(items: Sequence[tuple[Hashable, Iterable[str]]], *,
                          threshold: float = THRESHOLD) -> list[list[Hashable]]:
    """``items``: (key, terms) in the order that should lead (the first of a group is its first
    item). Returns the groups, as lists of keys, in the order their first item came."""
    keys = [key for key, _ in items]
    vectors = weighted_vectors([list(terms) for _, terms in items])
    common = max(COMMON_MIN, int(len(items) * COMMON_SHARE))
    frequency = Counter(term for vector in vectors for term in vector)
    postings: dict[str, list[int]] = defaultdict(list)  # term → indexes of grouped items having it
    group_of: list[int] = []
    groups: list[list[int]] = []
    for index, vector in enumerate(vectors):
        candidates = {other for term in vector if frequency[term] <= common for other in postings[term]}
        best, best_score = None, threshold
        for other in candidates:
            score = cosine(vector, vectors[other])
            if score >= best_score and (best is None or score > best_score or group_of[other] < best):
                best, best_score = group_of[other], score
        if best is None:
            best = len(groups)
            groups.append([])
        groups[best].append(index)
        group_of.append(best)
        for term in vector:
            postings[term].append(index)
    return [[keys[i] for i in group] for group in groups]
