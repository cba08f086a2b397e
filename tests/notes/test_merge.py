"""Re-import is a three-way merge against the last imported version of the file.

Every cell of (file changed / unchanged) × (site changed / unchanged) for a
question's text, an answer, a progress part and a schedule day; where both
changed, the site's version stays (or the file's with prefer_file) and the
conflict is listed.
"""

import io

import pytest
from django.core.management import call_command

from courses.models import Cohort
from curriculum.models import Progress, ScheduleDay
from notes.importer import import_notes_file, import_notes_text
from qa.models import Question
from tests.notes.notes_support import DEMO_FILE, SYNC_VERSIONS, media_root, read  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
SLUG = "merge-cohort"

BASE = """# MSP T3 - 96-1차

| No. | 이론                        | 실습                            |
| --- | ------------------------- | ----------------------------- |
| 1   | [Book] 01_Docker_Overview | -                             |
| 2   | [Book] 02_Docker_Commands | [Hands-on] 02_Docker_Commands |

##MSP T3 강의계획
- 1일차
  - 이론 : Docker overview ~ network
  - 실습 : Docker 설치 ~ network

## Docker

- 컨테이너와 VM의 차이는 무었인가요?
  - 호스트 커널을 공유합니다.

- 볼륨은 언제 지워지나요?
  - 직접 지울 때까지 남습니다.

## Kubernetes

- Pod가 재시작되는 이유는?
  - ...
"""


def question(text):
    return Question.objects.get(section__cohort__slug=SLUG, question=text)


def docker_question(position):
    return Question.objects.get(section__cohort__slug=SLUG, section__title="Docker", position=position)


class Part:
    """How the file and the site change one thing, and how to read it back."""

    def __init__(self, name, file_edit, base, file_value, site_value, site_edit, read):
        self.name, self.file_edit, self.base = name, file_edit, base
        self.file_value, self.site_value, self.site_edit, self.read = file_value, site_value, site_edit, read


def _edit_question(value):
    q = question("컨테이너와 VM의 차이는 무었인가요?")
    q.question = value
    q.save()


def _edit_answer(value):
    q = question("볼륨은 언제 지워지나요?")
    q.answer = value
    q.save()


def _strike_lab(value):
    progress = Progress.objects.get(cohort__slug=SLUG, chapter__number=2)
    progress.mark("lab", value)
    progress.save()


def _edit_day(value):
    day = ScheduleDay.objects.get(cohort__slug=SLUG, day=1)
    day.theory = value
    day.save()


PARTS = {
    "question": Part(
        "question", ("무었인가요?", "무엇인가요?"), "컨테이너와 VM의 차이는 무었인가요?",
        "컨테이너와 VM의 차이는 무엇인가요?", "컨테이너와 VM의 차이는 무었일까요?", _edit_question,
        lambda: docker_question(1).question,
    ),
    "answer": Part(
        "answer", ("  - 직접 지울 때까지 남습니다.", "  - `docker volume rm` 할 때까지 남습니다."),
        "- 직접 지울 때까지 남습니다.", "- `docker volume rm` 할 때까지 남습니다.", "- 사이트에서 고친 답입니다.",
        _edit_answer, lambda: docker_question(2).answer,
    ),
    "progress": Part(
        "progress", ("| [Hands-on] 02_Docker_Commands |", "| ~[Hands-on] 02_Docker_Commands~ |"),
        False, True, True, _strike_lab,
        lambda: Progress.objects.get(cohort__slug=SLUG, chapter__number=2).lab_done,
    ),
    "schedule": Part(
        "schedule", ("이론 : Docker overview ~ network", "이론 : Docker overview ~ storage"),
        "Docker overview ~ network", "Docker overview ~ storage", "Docker overview ~ commands", _edit_day,
        lambda: ScheduleDay.objects.get(cohort__slug=SLUG, day=1).theory,
    ),
}


def reimport(part, *, file_changed, site_changed, prefer_file=False):
    import_notes_text(BASE, slug=SLUG)
    ids = sorted(Question.objects.filter(section__cohort__slug=SLUG).values_list("pk", flat=True))
    if site_changed:
        part.site_edit(part.site_value)
    text = BASE.replace(*part.file_edit) if file_changed else BASE
    assert text != BASE or not file_changed
    options = {"prefer_file": True} if prefer_file else {}
    report = import_notes_text(text, slug=SLUG, **options)
    assert sorted(Question.objects.filter(section__cohort__slug=SLUG).values_list("pk", flat=True)) == ids
    return report


@pytest.mark.parametrize("name", PARTS)
def test_neither_changed_keeps_everything_and_reports_no_change(name):
    part = PARTS[name]
    report = reimport(part, file_changed=False, site_changed=False)
    assert part.read() == part.base
    assert (report.updated, report.progress_changed, report.schedule_changed, report.conflicts) == (0, 0, 0, [])


@pytest.mark.parametrize("name", PARTS)
def test_only_the_file_changed_takes_the_files_version(name):
    part = PARTS[name]
    report = reimport(part, file_changed=True, site_changed=False)
    assert part.read() == part.file_value
    assert report.conflicts == []
    assert (report.updated, report.progress_changed, report.schedule_changed) == (
        int(name in ("question", "answer")), int(name == "progress"), int(name == "schedule"))


@pytest.mark.parametrize("name", PARTS)
def test_only_the_site_changed_keeps_the_sites_version(name):
    part = PARTS[name]
    report = reimport(part, file_changed=False, site_changed=True)
    assert part.read() == part.site_value
    assert (report.updated, report.progress_changed, report.schedule_changed, report.conflicts) == (0, 0, 0, [])
    assert "progress:" not in report.summary()


@pytest.mark.parametrize("prefer_file", [False, True])
@pytest.mark.parametrize("name", ["question", "answer", "schedule"])
def test_both_changed_keeps_the_sites_version_unless_the_file_is_preferred_and_lists_the_conflict(
        name, prefer_file):
    part = PARTS[name]
    report = reimport(part, file_changed=True, site_changed=True, prefer_file=prefer_file)
    assert part.read() == (part.file_value if prefer_file else part.site_value)
    [conflict] = report.conflicts
    assert conflict.cohort == SLUG and conflict.kept == ("file" if prefer_file else "site")
    assert part.site_value in conflict.site and part.file_value in conflict.file
    if name != "schedule":
        assert conflict.question == docker_question(1 if name == "question" else 2).pk
    summary = report.summary()
    assert "conflicts: 1" in summary and conflict.what in summary
    assert part.site_value in summary and part.file_value in summary


def test_both_striking_the_same_part_agrees_no_conflict_no_change():
    report = reimport(PARTS["progress"], file_changed=True, site_changed=True)
    assert PARTS["progress"].read() is True
    assert (report.progress_changed, report.conflicts) == (0, [])


def test_struck_on_the_site_then_the_unchanged_demo_file_reloaded_keeps_the_strike():
    """Issue 11.2, first reproduction: `make run` runs load_demo every time."""
    call_command("load_demo", stdout=io.StringIO())
    demo = Cohort.objects.get(slug="demo")
    six = demo.progress.get(chapter__number=6)
    assert not six.theory_done  # the file leaves chapter 6's theory open
    six.mark("theory", True)
    six.save()
    one = demo.progress.get(chapter__number=1)
    one.mark("theory", False)
    one.save()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert demo.progress.get(chapter__number=6).theory_done
    assert not demo.progress.get(chapter__number=1).theory_done
    assert "progress:" not in out.getvalue() and "conflicts" not in out.getvalue()


def test_answer_given_on_the_site_survives_a_file_that_only_fixed_a_typo_in_the_question():
    """Issue 11.2, second reproduction."""
    v1 = read(SYNC_VERSIONS[0])
    import_notes_text(v1, slug=SLUG)
    pending = Question.objects.get(section__cohort__slug=SLUG, question="컨테이너와 VM의 차이는 무었인가요?")
    assert pending.pending
    pending.answer = "- 커널을 공유하는지가 다릅니다."
    pending.save()
    report = import_notes_text(v1.replace("무었인가요", "무엇인가요"), slug=SLUG)
    fixed = Question.objects.get(pk=pending.pk)
    assert fixed.question == "컨테이너와 VM의 차이는 무엇인가요?"
    assert fixed.answer == "- 커널을 공유하는지가 다릅니다." and not fixed.pending
    assert report.conflicts == [] and report.site_edits_kept == 1


def test_a_question_moved_on_the_site_stays_where_it_was_moved_while_the_file_keeps_it():
    import_notes_text(BASE, slug=SLUG)
    moved = question("Pod가 재시작되는 이유는?")
    moved.section = moved.section.cohort.sections.get(title="Docker")
    moved.save()
    report = import_notes_text(BASE, slug=SLUG)
    assert Question.objects.get(pk=moved.pk).section.title == "Docker"
    assert report.conflicts == []


def test_a_question_deleted_on_the_site_stays_deleted_while_the_file_keeps_it():
    import_notes_text(BASE, slug=SLUG)
    question("Pod가 재시작되는 이유는?").delete()
    report = import_notes_text(BASE, slug=SLUG)
    assert not Question.objects.filter(question="Pod가 재시작되는 이유는?").exists()
    assert report.site_deletions_kept == 1 and report.added == 0


def test_a_question_the_file_removed_but_the_site_answered_is_kept_and_listed():
    import_notes_text(BASE, slug=SLUG)
    answered = question("Pod가 재시작되는 이유는?")
    answered.answer = "- liveness probe 실패, OOMKilled 등입니다."
    answered.save()
    removed = BASE.replace("- Pod가 재시작되는 이유는?\n  - ...\n", "")
    report = import_notes_text(removed, slug=SLUG)
    kept = Question.objects.get(pk=answered.pk)
    assert kept.answer.startswith("- liveness") and kept.origin == Question.Origin.SITE
    assert [c.question for c in report.conflicts] == [answered.pk] and report.removed == 0
    # Listed once: the next import of the same file has nothing left to disagree on.
    assert import_notes_text(removed, slug=SLUG).conflicts == []
    assert import_notes_text(removed, slug=SLUG, prefer_file=True).conflicts == []


def test_the_file_removing_an_untouched_question_removes_it():
    import_notes_text(BASE, slug=SLUG)
    untouched = question("Pod가 재시작되는 이유는?")
    report = import_notes_text(BASE.replace("- Pod가 재시작되는 이유는?\n  - ...\n", ""), slug=SLUG)
    assert report.removed == 1 and not Question.objects.filter(pk=untouched.pk).exists()


def test_replaying_the_history_with_site_edits_between_keeps_every_site_edit():
    cohort = import_notes_file(SYNC_VERSIONS[0], slug=SLUG).cohort
    helm_answer = "- 사이트 답: 재시작 정책 때문입니다."
    restart = Question.objects.get(section__cohort=cohort, question="Pod가 재시작되는 이유는?")
    restart.answer = helm_answer
    restart.save()
    for path in SYNC_VERSIONS[1:]:
        import_notes_file(path, slug=SLUG)
    assert Question.objects.get(pk=restart.pk).answer == helm_answer


CONFLICTING = BASE.replace("  - 직접 지울 때까지 남습니다.", "  - 파일에서 고친 답입니다.")


def _answer_on_the_site():
    import_notes_text(BASE, slug=SLUG)
    _edit_answer("- 사이트에서 고친 답입니다.")


def test_the_command_prints_each_conflict_and_prefer_file_takes_the_files_version(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(CONFLICTING, encoding="utf-8")
    _answer_on_the_site()
    out = io.StringIO()
    call_command("import_notes", str(notes), "--cohort", SLUG, stdout=out)
    pk = docker_question(2).pk
    printed = out.getvalue()
    assert f"{SLUG} · question {pk} answer" in printed and "the site's version kept" in printed
    assert "| - 사이트에서 고친 답입니다." in printed and "| - 파일에서 고친 답입니다." in printed
    assert docker_question(2).answer == "- 사이트에서 고친 답입니다."

    _edit_answer("- 사이트에서 한 번 더 고친 답입니다.")
    notes.write_text(CONFLICTING.replace("파일에서", "파일에서 또"), encoding="utf-8")
    out = io.StringIO()
    call_command("import_notes", str(notes), "--cohort", SLUG, "--prefer-file", stdout=out)
    assert "the file's version taken (--prefer-file)" in out.getvalue()
    assert docker_question(2).answer == "- 파일에서 또 고친 답입니다."


def test_the_admin_upload_shows_the_same_conflicts_and_offers_prefer_file(client):
    from django.contrib.messages import get_messages
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import make_user

    _answer_on_the_site()
    client.force_login(make_user("boss", staff=True))
    upload = SimpleUploadedFile("notes.md", CONFLICTING.encode(), "text/markdown")
    response = client.post("/admin/courses/cohort/import-notes/", {"notes": upload, "cohort": SLUG, "dry_run": "on"})
    [message] = list(get_messages(response.wsgi_request))
    expected = import_notes_text(CONFLICTING, slug=SLUG, dry_run=True).summary()
    # One message, the summary as a list: its first line, then one item per line.
    first, *lines = expected.splitlines()
    assert message.message.startswith(first + '<ul class="import-summary">') and message.level_tag == "warning"
    assert message.message.count("<li ") == len(lines)
    assert '<li class="import-warning">conflicts: 1' in message.message
    assert f"question {docker_question(2).pk} answer" in expected

    upload = SimpleUploadedFile("notes.md", CONFLICTING.encode(), "text/markdown")
    client.post("/admin/courses/cohort/import-notes/", {"notes": upload, "cohort": SLUG, "prefer_file": "on"})
    assert docker_question(2).answer == "- 파일에서 고친 답입니다."
