"""Find which chapter a question is about from the way instructors write references.

Chapter numbers: ``CH06``, ``ch05``, ``Chapter2``, ``chapter 2``, ``5장`` and chapter
titles such as ``06. Dockerfile Best practice`` or ``[Book] 06_Dockerfile_BestPractice``.
Lab numbers: ``hands-on 05``, ``실습 05``, ``[Hands-on] 08.``, ``실습(ch05)`` name the
lab's own number, which is mapped to its chapter (lab 05 belongs to chapter 6)
through the table the caller passes in. Pure functions: the DB lookups stay with
the importer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# A lab reference wins over a chapter reference at the same place: "실습(ch05)"
# names lab 05 even though it contains "ch05".
_LAB = re.compile(
    r"(?:\[\s*hands[\s_-]*on\s*\]|hands[\s_-]*on|실습)\s*[(\[]?\s*(?:ch(?:apter)?\s*\.?\s*)?(\d{1,2})(?!\d)",
    re.IGNORECASE,
)
_CHAPTER = re.compile(r"(?<![A-Za-z])(?:ch|chapter)\s*\.?\s*(\d{1,2})(?!\d)", re.IGNORECASE)
_JANG = re.compile(r"(?<![\d.])(\d{1,2})\s?장")
# "06. Dockerfile Best practice", "[Book] 06_Dockerfile_BestPractice": a number
# followed by the chapter's own title.
_NUMBERED_TITLE = re.compile(r"(?<![\d.])(\d{1,2})\s*[._]\s*([A-Za-z][^\n]{0,80})")

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[^\n]*$|\Z)", re.MULTILINE | re.DOTALL)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_BARE_URL = re.compile(r"https?://\S+")


def normalize_title(text: str) -> str:
    """Lower-case letters and digits only, with K8s spelled out: for comparing titles."""
    text = re.sub(r"k8s", "kubernetes", text.lower())
    return re.sub(r"[^0-9a-z가-힣]", "", text)


def prose(markdown: str) -> str:
    """The words of ``markdown`` a reader sees as text: no code blocks, no URLs."""
    text = _FENCE.sub("", markdown)
    text = _LINK_TARGET.sub("]", text)
    return _BARE_URL.sub("", text)


def find_references(text: str, *, lab_chapters: Mapping[int, int], titles: Mapping[int, str]) -> list[int]:
    """Chapter numbers referenced in ``text``, in the order they appear.

    ``lab_chapters`` maps a lab's own number to its chapter number; ``titles``
    maps each chapter number to its title (only these numbers are chapters).
    """
    found: list[tuple[int, int]] = []
    taken: list[tuple[int, int]] = []
    for match in _LAB.finditer(text):
        taken.append(match.span())
        chapter = lab_chapters.get(int(match.group(1)))
        if chapter in titles:
            found.append((match.start(), chapter))

    def free(span):
        return not any(start < span[1] and span[0] < end for start, end in taken)

    for pattern in (_CHAPTER, _JANG):
        for match in pattern.finditer(text):
            number = int(match.group(1))
            if free(match.span()) and number in titles:
                found.append((match.start(), number))
                taken.append(match.span())
    for match in _NUMBERED_TITLE.finditer(text):
        number = int(match.group(1))
        title = normalize_title(titles.get(number, ""))
        if free(match.span()) and title and normalize_title(match.group(2)).startswith(title):
            found.append((match.start(), number))
    return [number for _, number in sorted(found)]


def find_chapter(
    question: str, answer: str = "", *, lab_chapters: Mapping[int, int], titles: Mapping[int, str]
) -> int | None:
    """The chapter a question is about: its own text first, then the prose of its answer."""
    for text in (question, answer):
        refs = find_references(prose(text), lab_chapters=lab_chapters, titles=titles)
        if refs:
            return refs[0]
    return None


def _endpoint(text: str, *, lab_chapters, titles, lower: int) -> int | None:
    refs = find_references(text, lab_chapters=lab_chapters, titles=titles)
    if refs:
        return refs[0]
    wanted = normalize_title(text)
    if not wanted:
        return None
    normalized = {number: normalize_title(title) for number, title in titles.items()}
    for candidates in (
        [n for n, t in normalized.items() if t == wanted],
        [n for n, t in normalized.items() if wanted in t],
    ):
        if candidates:
            later = [n for n in sorted(candidates) if n >= lower]
            return (later or sorted(candidates))[0]
    return None


def chapter_range(
    text: str, *, lab_chapters: Mapping[int, int], titles: Mapping[int, str], lower: int = 1
) -> tuple[int, int] | None:
    """``Docker overview ~ network`` → (1, 4): the chapters a schedule range names.

    Ambiguous names (``overview``) resolve to the first chapter at or after
    ``lower``, the day after the previous day's range.
    """
    ends = [part.strip() for part in re.split(r"\s*[~∼〜]\s*", text) if part.strip()]
    if not ends:
        return None
    first = _endpoint(ends[0], lab_chapters=lab_chapters, titles=titles, lower=lower)
    if first is None:
        return None
    last = _endpoint(ends[-1], lab_chapters=lab_chapters, titles=titles, lower=first)
    return (first, last) if last is not None and last >= first else None
