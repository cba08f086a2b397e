"""Importing notes into the database: structure, images, bad input, dry run."""

import pytest
from django.utils import timezone

from courses.models import Cohort
from curriculum.models import ScheduleDay
from notes.importer import import_notes_file, import_notes_text
from notes.parser import NotesError, NotesFileError
from qa.models import NotesImage, Question, SectionExtra
from tests.notes.notes_support import FIXTURES, db_state, media_root, read  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def questions_of(cohort):
    return Question.objects.filter(section__cohort=cohort).order_by("section__position", "position")


def test_import_creates_a_public_cohort_with_title_fields_and_slug():
    report = import_notes_file(FIXTURES / "variants.md")
    cohort = report.cohort
    assert report.created and cohort.slug == "msp-t3-99-1차-scp-track"
    assert (cohort.title, cohort.program, cohort.run_code, cohort.track) == (
        "MSP T3 - 99-1차 (SCP Track)", "MSP T3", "99-1차", "SCP")
    assert cohort.is_public


def test_import_with_slug_and_private():
    cohort = import_notes_file(FIXTURES / "variants.md", slug="내-코호트", private=True).cohort
    assert cohort.slug == "내-코호트" and not cohort.is_public


def test_questions_become_rows_with_position_pending_chapter_and_origin():
    cohort = import_notes_file(FIXTURES / "variants.md").cohort
    rows = list(questions_of(cohort))
    assert [(q.section.title, q.position) for q in rows] == [("Docker", n) for n in range(1, 7)] + [
        ("Kubernetes", 1)]
    assert [q.pending for q in rows] == [False, False, False, False, True, True, False]
    explicit = [(q.chapter.number if q.chapter_source == "explicit" else None) for q in rows]
    assert explicit == [3, None, None, 6, None, None, 7]  # the references the texts name
    # The others are inferred (content, the Docker section's 1-6, the named neighbours 3 and 6).
    assert all(q.chapter_source == "inferred" and 1 <= q.chapter.number <= 6 for q in rows[1:3] + rows[4:6])
    assert {q.origin for q in rows} == {Question.Origin.NOTES}
    assert all(q.is_unchanged_since_import for q in rows)
    assert rows[0].answer_html.count("<li>") == 2 + 0 and "<table>" in rows[0].answer_html


def test_summary_board_and_rule_become_section_extras_in_position():
    cohort = import_notes_file(FIXTURES / "variants.md").cohort
    docker = cohort.sections.get(title="Docker")
    extras = list(docker.extras.order_by("position"))
    assert [(e.kind, e.position) for e in extras] == [(SectionExtra.Kind.SUMMARY, 7), (SectionExtra.Kind.TEXT, 8)]
    assert extras[0].source.startswith("### Docker Summary")
    assert "<img" in extras[0].html


def test_curriculum_table_becomes_progress_theory_and_lab_separately():
    cohort = import_notes_file(FIXTURES / "variants.md").cohort
    state = {p.chapter.number: (p.theory_done, p.lab_done) for p in cohort.progress.select_related("chapter")}
    assert state == {1: (True, False), 2: (True, True), 3: (True, False), 4: (False, False), 5: (False, False),
                     6: (False, False), 7: (False, False)}


def test_schedule_list_becomes_the_cohorts_schedule_days_with_chapter_ranges():
    cohort = import_notes_file(FIXTURES / "variants.md").cohort
    days = list(ScheduleDay.objects.filter(cohort=cohort).order_by("day"))
    assert [(d.day, d.theory, d.lab, d.first_chapter.number, d.last_chapter.number) for d in days] == [
        (1, "Docker overview ~ Docker storage", "Docker 설치 ~ storage", 1, 3),
        (2, "CH04 ~ CH07", "network ~ K8s overview", 4, 7),
    ]


def test_unmodelled_blocks_are_kept_verbatim_in_the_layout():
    cohort = import_notes_file(FIXTURES / "variants.md").cohort
    kinds = [entry["kind"] for entry in cohort.notes_layout]
    assert kinds == ["text", "title", "text", "curriculum", "text", "schedule", "text", "section", "section", "text"]
    assert cohort.notes_layout[-1]["text"].startswith("## 플레이리스트\n")


def test_images_beside_the_notes_are_copied_and_rendered_from_media():
    report = import_notes_file(FIXTURES / "qa_parent.md")
    images = {i.original_path: i for i in NotesImage.objects.filter(cohort=report.cohort)}
    assert set(images) == {"./img/port_menu.png", "img/port_result.png"}
    assert report.images_copied == 2 and report.images_missing == []
    assert images["./img/port_menu.png"].content_type == "image/png"
    answer_html = questions_of(report.cohort)[2].answer_html
    assert f'src="{images["./img/port_menu.png"].get_absolute_url()}"' in answer_html
    assert 'src="./img/port_menu.png"' not in answer_html


def test_missing_fake_and_escaping_images_are_reported_not_fatal():
    report = import_notes_file(FIXTURES / "images.md")
    assert report.images_copied == 1  # ./img/port_menu.png and img/port_menu.png are one file
    assert report.images_missing == ["img/missing.png"]
    fake, escaping = report.images_rejected
    assert fake.startswith("img/not_an_image.png (")
    assert escaping == "../../../etc/hostname.png (outside the notes folder)"
    assert NotesImage.objects.count() == 1
    assert "image missing (not beside the notes): img/missing.png" in report.summary()


def test_text_import_without_base_dir_reports_images_missing():
    report = import_notes_text(read(FIXTURES / "qa_parent.md"))
    assert report.images_missing == ["./img/port_menu.png", "img/port_result.png"]
    assert not NotesImage.objects.exists()


@pytest.fixture
def existing(db):
    import_notes_file(FIXTURES / "variants.md")
    return db_state()


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("cp949.md", "# MSP T3 - 캐시\n\n## Docker\n\n- 질문?\n".encode("cp949"), "not UTF-8"),
        ("binary.md", b"# T\n\x00\x01\x02", "binary"),
        ("empty.md", b"", "empty"),
        ("blank.md", b"  \n\n\t\n", "empty"),
        ("nothing.md", "그냥 메모 한 줄\n\n- 목록\n".encode(), "no title"),
        ("untitled.md", "## Docker\n\n- 질문?\n  - 답\n".encode(), "no title line"),
    ],
)
def test_bad_files_are_refused_with_one_line_and_the_database_unchanged(existing, tmp_path, name, content, error):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(NotesError) as raised:
        import_notes_file(path)
    assert error in str(raised.value) and "\n" not in str(raised.value)
    assert db_state() == existing


def test_oversized_file_is_refused(existing, tmp_path, settings):
    settings.NOTES_MAX_BYTES = 200
    path = tmp_path / "big.md"
    path.write_text(read(FIXTURES / "variants.md"), encoding="utf-8")
    with pytest.raises(NotesFileError, match="over the limit of 200 bytes"):
        import_notes_file(path)
    assert db_state() == existing


def test_directory_and_missing_file_are_refused(existing, tmp_path):
    with pytest.raises(NotesFileError, match="is a directory"):
        import_notes_file(tmp_path)
    with pytest.raises(NotesFileError, match="no such file"):
        import_notes_file(tmp_path / "nope.md")
    assert db_state() == existing


def test_slug_that_is_not_a_slug_is_refused(existing):
    with pytest.raises(NotesError, match="slug"):
        import_notes_text(read(FIXTURES / "variants.md"), slug="a/b c")
    assert db_state() == existing


def test_failure_midway_rolls_back_the_whole_file(existing, monkeypatch):
    """An error after some rows were written (here: the schedule step) leaves nothing behind."""
    from notes import import_write

    def broken(plan, snapshot, cohort):
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_write, "_schedule", broken)
    text = read(FIXTURES / "variants.md").replace("99-1차", "99-2차")
    with pytest.raises(RuntimeError):
        import_notes_text(text, base_dir=FIXTURES)
    assert db_state() == existing


def test_dry_run_reports_what_would_happen_and_writes_nothing(existing, settings):
    files = set(settings.MEDIA_ROOT.rglob("*"))
    report = import_notes_file(FIXTURES / "qa_parent.md", dry_run=True)
    assert report.dry_run and report.created and report.cohort is None
    assert report.added == 4 and report.images_copied == 2
    assert "would be created (dry run, nothing written)" in report.summary()
    assert db_state() == existing
    assert set(settings.MEDIA_ROOT.rglob("*")) == files


def test_dry_run_on_an_existing_cohort_counts_changes_and_writes_nothing(existing):
    text = read(FIXTURES / "variants.md").replace("  - ...\n", "  - 드라이버마다 격리 방식이 다릅니다.\n")
    report = import_notes_text(text, dry_run=True)
    assert (report.created, report.updated, report.unchanged) == (False, 1, 6)
    assert db_state() == existing


def test_progress_done_by_is_the_importing_user(django_user_model):
    user = django_user_model.objects.create_user("importer")
    cohort = import_notes_file(FIXTURES / "variants.md", user=user).cohort
    done = cohort.progress.get(chapter__number=2)
    assert done.theory_done_by == user and done.lab_done_by == user and done.theory_done_at <= timezone.now()


def test_a_cohort_created_by_import_has_no_members_and_version_moves():
    cohort = import_notes_file(FIXTURES / "variants.md").cohort
    version = Cohort.objects.get(pk=cohort.pk).version
    import_notes_file(FIXTURES / "variants.md")
    assert cohort.memberships.count() == 0
    assert Cohort.objects.get(pk=cohort.pk).version > version
