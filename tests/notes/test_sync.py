"""Re-importing a newer version of a notes file syncs the cohort in place."""

import pytest

from courses.models import Cohort
from notes.importer import import_notes_file, import_notes_text
from qa.models import Question
from tests.notes.notes_support import FIXTURES, SYNC_VERSIONS, cohort_state, media_root, read  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
SLUG = "sync-cohort"


def ids_by_question(cohort):
    return dict(Question.objects.filter(section__cohort=cohort).values_list("question", "pk"))


def test_the_sync_fixture_has_four_versions():
    assert [p.name for p in SYNC_VERSIONS] == ["v1.md", "v2.md", "v3.md", "v4.md"]


def test_replaying_every_version_ends_in_the_state_of_a_fresh_import_of_the_last():
    for path in SYNC_VERSIONS:
        replayed = import_notes_file(path, slug=SLUG).cohort
    fresh = import_notes_file(SYNC_VERSIONS[-1], slug="fresh-cohort").cohort
    assert cohort_state(replayed) == cohort_state(fresh)


def test_typo_fix_keeps_the_id_and_takes_the_new_text_and_answer():
    v1 = import_notes_file(SYNC_VERSIONS[0], slug=SLUG)
    before = ids_by_question(v1.cohort)
    v2 = import_notes_file(SYNC_VERSIONS[1], slug=SLUG)
    question = Question.objects.get(pk=before["컨테이너와 VM의 차이는 무었인가요?"])
    assert question.question == "컨테이너와 VM의 차이는 무엇인가요?"
    assert question.answer.startswith("- 컨테이너는 호스트 커널을 공유") and not question.pending
    assert (v2.added, v2.updated, v2.unchanged, v2.removed) == (1, 1, 3, 0)


def test_each_version_keeps_ids_of_continuing_questions_and_inserts_new_ones_in_place():
    cohort = import_notes_file(SYNC_VERSIONS[0], slug=SLUG).cohort
    first = ids_by_question(cohort)
    import_notes_file(SYNC_VERSIONS[1], slug=SLUG)
    docker = list(cohort.sections.get(title="Docker").questions.order_by("position").values_list("question", "pk"))
    assert [q for q, _ in docker] == [
        "컨테이너와 VM의 차이는 무엇인가요?", "이미지를 지우면 컨테이너도 지워지나요?",
        "docker run 할 때 --rm 옵션은 무엇인가요?", "볼륨은 언제 지워지나요?"]
    assert docker[1][1] == first["이미지를 지우면 컨테이너도 지워지나요?"]
    assert docker[3][1] == first["볼륨은 언제 지워지나요?"]

    v3 = import_notes_file(SYNC_VERSIONS[2], slug=SLUG)
    assert v3.removed == 1 and not Question.objects.filter(pk=first["이미지를 지우면 컨테이너도 지워지나요?"]).exists()
    volume = Question.objects.get(pk=first["볼륨은 언제 지워지나요?"])
    assert not volume.pending and volume.chapter.number == 3
    assert [s.title for s in cohort.sections.order_by("position")] == ["Docker", "Kubernetes", "Helm"]

    restart = first["Pod가 재시작되는 이유는?"]
    import_notes_file(SYNC_VERSIONS[3], slug=SLUG)
    moved = Question.objects.get(pk=restart)  # moved from Kubernetes to Docker: same question, same id
    assert (moved.section.title, moved.position) == ("Docker", 1)
    assert [s.title for s in cohort.sections.order_by("position")] == ["Docker", "Kubernetes"]


def test_progress_and_schedule_follow_the_file():
    cohort = import_notes_file(SYNC_VERSIONS[0], slug=SLUG).cohort
    assert not cohort.schedule_days.exists()
    import_notes_file(SYNC_VERSIONS[2], slug=SLUG)
    done = {p.chapter.number: (p.theory_done, p.lab_done) for p in cohort.progress.select_related("chapter")}
    assert done == {1: (True, False), 2: (True, True), 3: (False, False)}
    assert list(cohort.schedule_days.values_list("day", flat=True)) == [1, 2]
    import_notes_file(SYNC_VERSIONS[3], slug=SLUG)
    done = {p.chapter.number: (p.theory_done, p.lab_done) for p in cohort.progress.select_related("chapter")}
    assert done == {1: (True, False), 2: (True, False), 3: (True, False)}
    assert not cohort.schedule_days.exists()


def test_unchanged_progress_keeps_its_timestamp():
    cohort = import_notes_file(SYNC_VERSIONS[1], slug=SLUG).cohort
    stamp = cohort.progress.get(chapter__number=1).theory_done_at
    import_notes_file(SYNC_VERSIONS[2], slug=SLUG)
    assert cohort.progress.get(chapter__number=1).theory_done_at == stamp


def test_questions_added_on_the_site_are_kept_and_reported():
    cohort = import_notes_file(SYNC_VERSIONS[0], slug=SLUG).cohort
    docker = cohort.sections.get(title="Docker")
    site = Question.objects.create(section=docker, question="수업 중 사이트에 올린 질문?", answer="")
    report = import_notes_file(SYNC_VERSIONS[1], slug=SLUG)
    site.refresh_from_db()
    assert report.site_kept == 1 and "1 question(s) added on the site are not in the file: kept" in report.summary()
    assert site.origin == Question.Origin.SITE
    assert site.position == docker.questions.exclude(pk=site.pk).order_by("-position")[0].position + 1


def test_site_question_in_a_section_the_file_dropped_keeps_its_section():
    cohort = import_notes_file(SYNC_VERSIONS[2], slug=SLUG).cohort
    helm = cohort.sections.get(title="Helm")
    site = Question.objects.create(section=helm, question="Helm 사이트 질문?", answer="")
    import_notes_file(SYNC_VERSIONS[3], slug=SLUG)
    assert Question.objects.filter(pk=site.pk, section=helm).exists()
    assert list(helm.questions.values_list("origin", flat=True)) == [Question.Origin.SITE]


def test_site_edit_of_an_answer_the_file_did_not_change_is_kept():
    cohort = import_notes_file(SYNC_VERSIONS[0], slug=SLUG).cohort
    question = Question.objects.get(section__cohort=cohort, question="볼륨은 언제 지워지나요?")
    question.answer = "- 사이트에서 채운 답입니다."
    question.save()
    report = import_notes_file(SYNC_VERSIONS[1], slug=SLUG)
    question.refresh_from_db()
    assert question.answer == "- 사이트에서 채운 답입니다." and report.site_edits_kept == 1
    # The file now answers it too: both changed it, so the site's answer stays and the conflict is listed.
    report = import_notes_file(SYNC_VERSIONS[2], slug=SLUG)
    question.refresh_from_db()
    assert question.answer == "- 사이트에서 채운 답입니다."
    assert [(c.question, c.what, c.site) for c in report.conflicts] == [
        (question.pk, f"question {question.pk} answer", "- 사이트에서 채운 답입니다.")]
    assert report.conflicts[0].file.startswith("- `docker volume rm`")


def test_reimport_keeps_visibility_unless_private_is_given():
    cohort = import_notes_file(SYNC_VERSIONS[0], slug=SLUG, private=True).cohort
    import_notes_file(SYNC_VERSIONS[1], slug=SLUG)
    assert not Cohort.objects.get(pk=cohort.pk).is_public
    Cohort.objects.filter(pk=cohort.pk).update(is_public=True)
    import_notes_file(SYNC_VERSIONS[1], slug=SLUG)
    assert Cohort.objects.get(pk=cohort.pk).is_public
    import_notes_file(SYNC_VERSIONS[1], slug=SLUG, private=True)
    assert not Cohort.objects.get(pk=cohort.pk).is_public


def test_same_question_twice_in_a_section_is_two_rows_and_stays_two():
    text = "# MSP T3 - 중복\n\n## Docker\n\n- 같은 질문?\n  - 답1\n\n- 같은 질문?\n  - 답2\n"
    cohort = import_notes_text(text).cohort
    rows = Question.objects.filter(section__cohort=cohort).order_by("pk").values_list("pk", "answer")
    first = list(rows)
    report = import_notes_text(text)
    assert report.added == 0 and list(rows) == first


def test_a_rewritten_question_is_a_new_question():
    cohort = import_notes_text("# MSP T3 - 재작성\n\n## Docker\n\n- 볼륨은 무엇인가요?\n  - 답\n").cohort
    old = Question.objects.get(section__cohort=cohort)
    report = import_notes_text("# MSP T3 - 재작성\n\n## Docker\n\n- 네트워크 드라이버는 어떤 게 있나요?\n  - 답\n")
    assert (report.added, report.removed) == (1, 1)
    assert not Question.objects.filter(pk=old.pk).exists()


def test_syncing_the_variants_fixture_twice_is_a_no_op_on_revisions():
    cohort = import_notes_file(FIXTURES / "variants.md").cohort
    revisions = list(Question.objects.filter(section__cohort=cohort).values_list("pk", "revision"))
    import_notes_text(read(FIXTURES / "variants.md"), base_dir=FIXTURES)
    assert list(Question.objects.filter(section__cohort=cohort).values_list("pk", "revision")) == revisions
