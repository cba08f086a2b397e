"""Shared by the notes tests: where the fixtures and seeds are, and how fidelity is judged."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from mspt3.markdown import github_html

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "notes"
FIXTURE_FILES = sorted(FIXTURES.glob("*.md"))
SYNC_VERSIONS = sorted((FIXTURES / "sync").glob("v*.md"))
# The real notes files of ../shared/seeds, when the checkout sits beside them (CI does).
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
NOTES_FILES = FIXTURE_FILES + SEED_FILES
DEMO_FILE = Path(settings.BASE_DIR) / "demo" / "mspt3-demo.md"


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def rendered(text: str) -> str:
    """GitHub's HTML for ``text`` with whitespace normalised: the fidelity yardstick."""
    html = github_html(text)
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def db_state():
    """Everything an import can change, as plain values: for 'the database is exactly as before'."""
    from courses.models import Cohort
    from curriculum.models import Progress, ScheduleDay
    from qa.models import NotesImage, Question, Section, SectionExtra

    return {
        "cohorts": list(Cohort.objects.order_by("pk").values_list(
            "pk", "slug", "title", "is_public", "notes_layout", "version")),
        "sections": list(Section.objects.order_by("pk").values_list("pk", "cohort_id", "title", "position")),
        "extras": list(SectionExtra.objects.order_by("pk").values_list("pk", "section_id", "position", "source")),
        "questions": list(Question.objects.order_by("pk").values_list(
            "pk", "section_id", "position", "question", "answer", "revision")),
        "progress": list(Progress.objects.order_by("pk").values_list(
            "pk", "chapter_id", "theory_done_at", "lab_done_at")),
        "schedule": list(ScheduleDay.objects.order_by("pk").values_list("pk", "cohort_id", "day", "theory")),
        "images": list(NotesImage.objects.order_by("pk").values_list("pk", "original_path", "file")),
    }


def cohort_state(cohort):
    """What a cohort holds, without ids or timestamps: for 'same state as a fresh import'."""
    cohort.refresh_from_db()
    sections = [
        (
            s.title, s.heading, s.position,
            [(e.kind, e.position, e.source) for e in s.extras.order_by("position")],
            [(q.position, q.question, q.answer, q.pending, q.chapter_id, q.origin, q.source_text)
             for q in s.questions.order_by("position")],
        )
        for s in cohort.sections.order_by("position")
    ]
    progress = sorted(
        (p.chapter.number, p.theory_done, p.lab_done) for p in cohort.progress.select_related("chapter")
    )
    schedule = [(d.day, d.theory, d.lab, d.first_chapter_id, d.last_chapter_id)
                for d in cohort.schedule_days.order_by("day")]
    return {
        "title": cohort.title, "program": cohort.program, "run_code": cohort.run_code, "track": cohort.track,
        "sections": sections, "progress": progress, "schedule": schedule, "layout": cohort.notes_layout,
    }


@pytest.fixture
def media_root(settings, tmp_path):
    """Copied notes images go to a throw-away media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
