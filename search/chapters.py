"""The chapter a question is about, inferred from its content (for questions whose text names
none: the explicit reference, ``CH06``/``5장``/``hands-on 05``, is read by the notes parser first).

Signals, strongest first: the glossary's chapter terms in the question (twice the weight of
those in the answer); the section it sits in (a ``Docker`` section keeps chapters 1–6, a
``Kubernetes`` one 7–15, ``Helm`` 15); the explicit chapters of its neighbours in the section
(a class goes through the chapters in order). ``infer_chapter`` is the one entry point: the
importer, the quick entry and a re-inference after a glossary change call it alike.
"""

from __future__ import annotations

from collections import defaultdict

from search.analysis import CONCEPT_PREFIX, Glossary, index_terms

DOCKER_CHAPTERS = range(1, 7)
KUBERNETES_CHAPTERS = range(7, 16)
QUESTION_WEIGHT, ANSWER_WEIGHT, NEIGHBOUR_WEIGHT = 2.0, 1.0, 0.75
# Below this much evidence the question stays without a chapter rather than get a guess.
MIN_SCORE = 1.0


def section_chapters(section_title: str) -> range | None:
    title = (section_title or "").casefold()
    if "helm" in title or "헬름" in title:
        return range(15, 16)
    if any(word in title for word in ("kubernetes", "k8s", "쿠버")):
        return KUBERNETES_CHAPTERS
    if "docker" in title or "도커" in title:
        return DOCKER_CHAPTERS
    return None


def chapter_scores(question: str, answer: str, glossary: Glossary, neighbours=()) -> dict[int, float]:
    scores: dict[int, float] = defaultdict(float)
    for text, weight in ((question, QUESTION_WEIGHT), (answer, ANSWER_WEIGHT)):
        for term in set(index_terms(text, glossary)):
            chapters = glossary.chapters.get(term.removeprefix(CONCEPT_PREFIX), ()) if term.startswith(
                CONCEPT_PREFIX) else ()
            for number in chapters:
                scores[number] += weight / len(chapters)
    for number in neighbours:
        scores[number] += NEIGHBOUR_WEIGHT
    return scores


def infer_chapter(question: str, answer: str = "", *, glossary: Glossary, section_title: str = "",
                  neighbours=()) -> int | None:
    """The most likely chapter number, or None when the evidence is too thin.

    ``neighbours``: explicit chapter numbers of the questions next to this one in its section.
    """
    allowed = section_chapters(section_title)
    scores = chapter_scores(question, answer, glossary, neighbours)
    ranked = [(score, -number) for number, score in scores.items() if allowed is None or number in allowed]
    if not ranked:
        return None
    score, negative_number = max(ranked)
    return -negative_number if score >= MIN_SCORE else None


EXPLICIT, INFERRED, INSTRUCTOR = "explicit", "inferred", "instructor"  # qa.models.ChapterSource's values


def section_chapters_with_sources(items, *, glossary: Glossary, section_title: str = "", explicit,
                                  taught: int | None = None) -> list[tuple[int | None, str]]:
    """(chapter number, source) for each question of one section, in the section's order.

    ``items``: (question, answer, kept) in order, ``kept`` a (number, source) that stands as it is
    (an instructor's; the stored one of a question the file does not hold), else None.
    ``explicit(question, answer)``: the chapter the text names (the notes parser's reading), which
    comes first; otherwise the chapter is inferred from the content, with the nearest named (or
    instructor-set) chapters before and after it in the section as neighbours, and ``taught`` (the
    chapter being taught, for questions logged on the site) as one more neighbour and as the last
    resort. Source ``""`` with no chapter.
    """
    named = [kept if kept is not None else (explicit(question, answer), EXPLICIT) for question, answer, kept in items]
    anchors = [number if source != INFERRED else None for number, source in named]
    results: list[tuple[int | None, str]] = []
    for index, (question, answer, kept) in enumerate(items):
        number, source = named[index]
        if kept is not None or number is not None:
            results.append((number, source))
            continue
        before = next((n for n in reversed(anchors[:index]) if n is not None), None)
        after = next((n for n in anchors[index + 1:] if n is not None), None)
        neighbours = [n for n in (before, after, taught) if n is not None]
        inferred = infer_chapter(question, answer, glossary=glossary, section_title=section_title,
                                 neighbours=neighbours)
        if inferred is None:
            inferred = taught
        results.append((inferred, INFERRED) if inferred is not None else (None, ""))
    return results
