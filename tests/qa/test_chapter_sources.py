"""Where a question's chapter came from (explicit / inferred / instructor): set by the import, the
quick entry, the API and the one-click correction, and an instructor's kept by every re-import."""

import pytest

from courses.models import Membership
from notes.importer import import_notes_text
from qa.chapter_sources import backfill
from qa.models import ChapterSource, Question
from tests.api.conftest import client_for
from tests.factories import cohort_version, make_question, make_section

pytestmark = pytest.mark.django_db
SLUG = "chapter-sources"

NOTES = """# MSP T3 - 97-1차

## Docker

- CH03 볼륨과 바인드 마운트의 차이는?
  - 볼륨은 Docker가 관리합니다.

- 도커 네트워크 브리지는 어떻게 동작하나요?
  - docker0 브리지에 veth로 연결됩니다.

- 오늘 점심은 몇 시인가요?
  - 12시입니다.

## Kubernetes

- PVC가 Pending 상태로 남는 이유는?
  - StorageClass가 없거나 맞는 PV가 없기 때문입니다.
"""


def _imported(text=NOTES, teacher=None):
    cohort = import_notes_text(text, slug=SLUG).cohort
    if teacher is not None:
        Membership.objects.get_or_create(cohort=cohort, user=teacher, role=Membership.Role.INSTRUCTOR)


def _by_start(start):
    return Question.objects.select_related("chapter").get(section__cohort__slug=SLUG, question__startswith=start)


def test_import_stores_explicit_references_and_inferred_chapters():
    _imported()
    named = _by_start("CH03")
    assert (named.chapter.number, named.chapter_source) == (3, ChapterSource.EXPLICIT)
    network = _by_start("도커 네트워크")
    assert (network.chapter.number, network.chapter_source) == (4, ChapterSource.INFERRED)
    pvc = _by_start("PVC가")
    assert (pvc.chapter.number, pvc.chapter_source) == (11, ChapterSource.INFERRED)


def test_the_instructors_correction_is_one_post_and_survives_re_imports(client, instructor):
    _imported(teacher=instructor)
    pvc = _by_start("PVC가")
    client.force_login(instructor)
    response = client.post(f"/questions/{pvc.pk}/chapter/", {"chapter": "12"})  # the form, no JavaScript
    assert response.status_code == 302
    pvc.refresh_from_db()
    assert (pvc.chapter.number, pvc.chapter_source, pvc.revision) == (12, ChapterSource.INSTRUCTOR, 2)
    lunch = _by_start("오늘 점심")
    client.post(f"/questions/{lunch.pk}/chapter/", {"chapter": ""}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    lunch.refresh_from_db()
    assert (lunch.chapter, lunch.chapter_source) == (None, ChapterSource.INSTRUCTOR)

    _imported()  # the same file again
    assert (_by_start("PVC가").chapter.number, _by_start("PVC가").chapter_source) == (12, "instructor")
    # The file changes the corrected question's answer (and names another chapter in it): the
    # three-way merge takes the file's answer, the instructor's chapter still stands.
    changed = NOTES.replace("맞는 PV가 없기 때문입니다.", "맞는 PV가 없기 때문입니다. CH11 참고.")
    _imported(changed)
    pvc = _by_start("PVC가")
    assert "CH11 참고" in pvc.answer
    assert (pvc.chapter.number, pvc.chapter_source) == (12, ChapterSource.INSTRUCTOR)
    assert (_by_start("오늘 점심").chapter, _by_start("오늘 점심").chapter_source) == (None, "instructor")
    # What nobody corrected follows the file: a reference the file adds makes it explicit.
    _imported(changed.replace("- 도커 네트워크", "- CH02 도커 네트워크"))
    network = _by_start("CH02 도커")
    assert (network.chapter.number, network.chapter_source) == (2, ChapterSource.EXPLICIT)


def test_a_bad_correction_is_refused_and_changes_nothing(client, instructor, student):
    _imported(teacher=instructor)
    pvc = _by_start("PVC가")
    version = cohort_version(pvc.section.cohort)
    client.force_login(instructor)
    for value in ("99", "x", "-1", "1" * 40):
        assert client.post(f"/questions/{pvc.pk}/chapter/", {"chapter": value}).status_code == 400
    client.force_login(student)
    assert client.post(f"/questions/{pvc.pk}/chapter/", {"chapter": "3"}).status_code in (403, 404)
    pvc.refresh_from_db()
    assert (pvc.chapter.number, pvc.chapter_source, pvc.revision) == (11, ChapterSource.INFERRED, 1)
    assert cohort_version(pvc.section.cohort) == version


def test_the_cohort_page_offers_instructors_a_chapter_picker(client, instructor, student):
    _imported(teacher=instructor)
    client.force_login(instructor)
    html = client.get(f"/cohorts/{SLUG}/").content.decode()
    assert html.count("data-chapter-form") == 4 and 'value="11" selected' in html
    assert html.count("badge-inferred") == 2  # the network and PVC questions (lunch: no chapter)
    client.force_login(student)
    assert "data-chapter-form" not in client.get(f"/cohorts/{SLUG}/").content.decode()


def test_api_exposes_the_source_and_a_chapter_written_through_it_is_the_instructors(instructor, cohort):
    api = client_for(instructor)
    made = api.post("/api/questions/", {"cohort": cohort.slug, "section": "Docker",
                                       "question": "CH05 Dockerfile의 ENTRYPOINT와 CMD는?"}, format="json").json()
    assert (made["chapter"], made["chapter_source"]) == (5, "explicit")
    inferred = api.post("/api/questions/", {"cohort": cohort.slug, "section": "Kubernetes",
                                           "question": "HPA가 파드를 늘리는 기준은?"}, format="json").json()
    assert (inferred["chapter"], inferred["chapter_source"]) == (14, "inferred")
    patched = api.patch(f"/api/questions/{made['id']}/", {"chapter": 6}, format="json",
                        HTTP_IF_MATCH=f'"q{made["id"]}-r{made["revision"]}"').json()
    assert (patched["chapter"], patched["chapter_source"]) == (6, "instructor")
    chosen = api.post("/api/questions/", {"cohort": cohort.slug, "section": "Docker", "chapter": 2,
                                         "question": "CH05 또 다른 질문"}, format="json").json()
    assert (chosen["chapter"], chosen["chapter_source"]) == (2, "instructor")


def test_quick_entry_sources(teaching, cohort):
    def log(**fields):
        response = teaching.post(f"/cohorts/{cohort.slug}/questions/", {"section": "", "chapter": "", "answer": "",
                                                                     **fields})
        assert response.status_code in (201, 302), response.content.decode()[:300]
        return Question.objects.order_by("-pk").first()

    make_section(cohort, "Docker")
    named = log(question="CH04 브리지 네트워크 질문입니다")
    assert (named.chapter.number, named.chapter_source) == (4, "explicit")
    chosen = log(question="아무 질문", chapter="7")
    assert (chosen.chapter.number, chosen.chapter_source) == (7, "instructor")
    content = log(question="도커 볼륨은 어디에 저장되나요?", section=str(cohort.sections.get(title="Docker").pk))
    assert (content.chapter.number, content.chapter_source) == (3, "inferred")


def test_backfill_gives_sources_and_infers_missing_chapters(section):
    named = make_question(section, "CH06 멀티스테이지 빌드는?", "작게 만듭니다", chapter=6)
    set_before = make_question(section, "이미지 태그 규칙은?", "", chapter=2)
    bare = make_question(section, "도커 볼륨은 어디에 저장되나요?", "/var/lib/docker/volumes")
    nothing = make_question(section, "오늘 점심은 몇 시인가요?", "12시")
    Question.objects.update(chapter_source="")  # as stored before sources existed
    assert backfill(Question) == 3
    rows = {q.pk: (q.chapter and q.chapter.number, q.chapter_source) for q in Question.objects.all()}
    assert rows[named.pk] == (6, "explicit")
    assert rows[set_before.pk] == (2, "inferred")  # it does not name it: who set it is unknown
    assert rows[bare.pk][1] == "inferred" and rows[bare.pk][0] in (3, 6)
    assert rows[nothing.pk] == (None, "")


def test_the_edit_dialog_and_the_admin_make_a_chosen_chapter_the_instructors(client, teaching, section, staff):
    question = make_question(section, "도커 볼륨은 어디에 저장되나요?", "- 호스트에", chapter=3)
    response = teaching.post(f"/questions/{question.pk}/edit/", {
        "question": question.question, "answer": question.answer, "chapter": question.chapter_id,
        "revision": question.revision})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.chapter_source == ChapterSource.INFERRED  # the chapter was not touched
    chapter_eleven = type(question.chapter).objects.get(number=11)
    teaching.post(f"/questions/{question.pk}/edit/", {
        "question": question.question, "answer": question.answer, "chapter": chapter_eleven.pk,
        "revision": question.revision})
    question.refresh_from_db()
    assert (question.chapter.number, question.chapter_source) == (11, ChapterSource.INSTRUCTOR)

    client.force_login(staff)
    added = client.post("/admin/qa/question/add/", {
        "section": section.pk, "position": 9, "question": "CH05 ENTRYPOINT와 CMD의 차이?", "answer": "",
        "chapter": "", "author": "", "loaded_revision": ""})
    assert added.status_code == 302
    made = Question.objects.get(question__startswith="CH05 ENTRYPOINT")
    assert (made.chapter.number, made.chapter_source) == (5, ChapterSource.EXPLICIT)
    client.post(f"/admin/qa/question/{made.pk}/change/", {
        "section": section.pk, "position": made.position, "question": made.question, "answer": "",
        "chapter": chapter_eleven.pk, "author": "", "loaded_revision": made.revision})
    made.refresh_from_db()
    assert (made.chapter.number, made.chapter_source) == (11, ChapterSource.INSTRUCTOR)
