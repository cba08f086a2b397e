"""The real notes files of ../shared/seeds (when present): counts and exact round trip through the database.

Without ../shared the parametrisation is empty; the project's own fixtures
(test_export, test_notes_parse) carry the same proofs on a fresh clone.
"""

import pytest

from notes.exporter import export_cohort
from notes.importer import import_notes_file
from qa.models import Question
from tests.notes.notes_support import SEED_FILES, media_root, read, rendered  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

# Counted by reading the seeds: questions per file, those still pending ("..."),
# and those naming a chapter (CH06, 실습(ch05), hands-on 05, [Hands-on] 08., "06. Dockerfile Best practice").
EXPECTED = {
    "000_a1bcbd61a9d9fcb1.txt": {"questions": 10, "pending": 0, "chapters": [6, 6], "sections": 2, "images": 0},
    "001_b4797abd278e9d8d.txt": {"questions": 18, "pending": 0, "chapters": [], "sections": 1, "images": 2},
    "002_61c30e7faca36101.txt": {"questions": 10, "pending": 0, "chapters": [6, 8], "sections": 2, "images": 1},
    "003_0b0ff62913bd7931.txt": {"questions": 14, "pending": 1, "chapters": [6], "sections": 2, "images": 0},
    "004_b125ded085ed1d5c.txt": {"questions": 13, "pending": 1, "chapters": [], "sections": 2, "images": 1},
}
PRESENT = [path for path in SEED_FILES if path.name in EXPECTED]


@pytest.mark.parametrize("path", PRESENT, ids=lambda p: p.name)
def test_seed_yields_expected_questions_pending_and_chapter_links(path):
    expected = EXPECTED[path.name]
    report = import_notes_file(path)
    questions = Question.objects.filter(section__cohort=report.cohort).order_by("section__position", "position")
    assert questions.count() == report.added == expected["questions"]
    assert questions.pending().count() == report.pending == expected["pending"]
    assert [q.chapter.number for q in questions if q.chapter_source == "explicit"] == expected["chapters"]
    assert report.cohort.sections.count() == expected["sections"]
    assert report.images_copied == expected["images"] and report.images_missing == []


@pytest.mark.parametrize("path", PRESENT, ids=lambda p: p.name)
def test_seed_exports_byte_for_byte_and_renders_like_the_original(path):
    cohort = import_notes_file(path).cohort
    exported = export_cohort(cohort)
    assert exported == read(path)
    assert rendered(exported) == rendered(read(path))


@pytest.mark.parametrize("path", PRESENT, ids=lambda p: p.name)
def test_seed_reimport_changes_nothing(path):
    first = import_notes_file(path)
    ids = list(Question.objects.filter(section__cohort=first.cohort).values_list("pk", "revision"))
    again = import_notes_file(path)
    assert (again.created, again.added, again.updated, again.removed, again.unchanged) == (
        False, 0, 0, 0, EXPECTED[path.name]["questions"])
    assert list(Question.objects.filter(section__cohort=first.cohort).values_list("pk", "revision")) == ids


@pytest.mark.parametrize("path", [p for p in PRESENT if p.name.startswith("003_")], ids=lambda p: p.name)
def test_seed_003_progress_has_chapter_6_theory_done_and_lab_not(path):
    cohort = import_notes_file(path).cohort
    six = cohort.progress.get(chapter__number=6)
    assert six.theory_done and not six.lab_done
    assert [(d.first_chapter.number, d.last_chapter.number) for d in cohort.schedule_days.order_by("day")] == [
        (1, 4), (5, 9), (10, 15)]
