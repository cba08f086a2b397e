"""Where a question logged in class goes: one rule for the quick entry, the API and the admin.

Chapter: the one the instructor chose; else the one the text names (``CH08``, ``8장``,
``Chapter 8``, ``실습 05`` → the lab's chapter, read as the importer reads notes); else the
chapter the schedule says is taught today. Section: the one the instructor chose; else the
section of the chapter's part (Docker for 1–6, Kubernetes for 7–14, Helm for 15 — the
cohort's own section of that name when it has one); else where the cohort's latest question went;
else none (the caller asks for one).
"""

from __future__ import annotations

from dataclasses import dataclass

from curriculum.models import Chapter, lab_chapter_numbers
from curriculum.schedule import PART_SECTION_TITLES, todays_topic
from notes.parser.chapters import find_chapter, normalize_title
from qa.models import Question, Section


class Reason:
    CHOSEN = "chosen"  # the instructor picked it
    TEXT = "text"  # the question names its chapter
    SCHEDULE = "schedule"  # what is taught today
    PART = "part"  # the section of the chapter's part
    LATEST = "latest"  # nothing else to go by: where the cohort's latest question went


@dataclass(frozen=True)
class Placement:
    """``section`` is a Section of the cohort, or the title of a part section it does not have yet."""

    section: Section | str | None
    chapter: Chapter | None
    section_reason: str | None
    chapter_reason: str | None

    @property
    def section_title(self):
        return self.section.title if isinstance(self.section, Section) else self.section


def chapter_named_in(text: str) -> Chapter | None:
    """The chapter ``text`` names, the way the importer reads chapter references in notes."""
    titles = dict(Chapter.objects.values_list("number", "title"))
    number = find_chapter(text, lab_chapters=lab_chapter_numbers(), titles=titles)
    return Chapter.objects.filter(number=number).first() if number else None


def part_section(cohort, part) -> Section | str:
    """The cohort's section for ``part`` (same name, or a title starting with it), else the part's title."""
    titles = PART_SECTION_TITLES[part]
    wanted = [normalize_title(t) for t in titles]
    sections = list(cohort.sections.all())
    for match in (lambda name, want: name == want, lambda name, want: name.startswith(want)):
        for want in wanted:
            found = next((s for s in sections if match(normalize_title(s.title), want)), None)
            if found is not None:
                return found
    return titles[0]


def place(cohort, text: str, *, section=None, chapter=None, on=None) -> Placement:
    """Where a question with ``text`` goes in ``cohort``; ``section``/``chapter`` are the instructor's choices."""
    chapter_reason = Reason.CHOSEN if chapter else None
    if chapter is None and (chapter := chapter_named_in(text)):
        chapter_reason = Reason.TEXT
    if section is not None:
        section_reason = Reason.CHOSEN
    elif chapter is not None:
        section, section_reason = part_section(cohort, chapter.part), Reason.PART
    else:
        section_reason = None
    if chapter is None or section is None:
        today_title, today_chapter = todays_topic(cohort, on)
        if chapter is None and today_chapter is not None:
            chapter, chapter_reason = today_chapter, Reason.SCHEDULE
        if section is None and today_title:
            section = part_section(cohort, today_chapter.part)
            section_reason = Reason.SCHEDULE
    if section is None and (section := latest_section(cohort)):
        section_reason = Reason.LATEST
    return Placement(section, chapter, section_reason, chapter_reason)


def latest_section(cohort) -> Section | None:
    """The section of the cohort's newest question (else its first section): off schedule and with
    no chapter named, the next question most likely belongs where the last one went."""
    latest = Question.objects.filter(section__cohort=cohort).order_by("-created_at", "-pk").select_related("section")
    question = latest.first()
    return question.section if question else cohort.sections.order_by("position", "pk").first()

