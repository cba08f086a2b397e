"""GET/POST /api/cohorts/<slug>/notes.md: export as text/markdown, import a notes file."""

from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from notes.exporter import export_cohort
from qa.models import Question
from tests.factories import make_question

NOTES = """# MSP T3 - 공개 코호트

## Docker

- 도커 이미지 레이어는 어떻게 공유되나요?
    - 같은 레이어는 한 번만 저장됩니다.
- 컨테이너 로그는 어디서 보나요?
    - ...
"""


def upload(text: bytes | str, name="notes.md"):
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/markdown")


def snapshot():
    return list(Question.objects.order_by("pk").values_list("pk", "question", "answer", "revision"))


def test_export_is_the_exporters_markdown(anon, cohort, section):
    make_question(section, "볼륨은?", "`docker volume ls`")
    response = anon.get(f"/api/cohorts/{cohort.slug}/notes.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.content.decode() == export_cohort(cohort)
    assert "- 볼륨은?" in response.content.decode()


def test_the_api_and_the_page_download_the_same_markdown_file(anon, client, cohort, section):
    make_question(section, "볼륨은?", "`docker volume ls`")
    api = anon.get(f"/api/cohorts/{cohort.slug}/notes.md")
    page = client.get(f"/cohorts/{cohort.slug}/notes.md")
    for response in (api, page):
        assert response.status_code == 200
        assert response["Content-Type"] == "text/markdown; charset=utf-8"
        assert response["Content-Disposition"] == f"inline; filename*=UTF-8''{quote(cohort.slug)}.md"
    assert api.content == page.content


def test_export_errors_are_json_even_when_markdown_is_asked_for(anon, private_cohort):
    response = anon.get(f"/api/cohorts/{private_cohort.slug}/notes.md", HTTP_ACCEPT="text/markdown")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_instructor_imports_a_notes_file_into_their_cohort(as_instructor, cohort):
    response = as_instructor.post(f"/api/cohorts/{cohort.slug}/notes.md", {"file": upload(NOTES)}, format="multipart")
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["slug"], report["dry_run"], report["counts"]["added"], report["counts"]["pending"]) == (
        cohort.slug, False, 2, 1
    )
    questions = Question.objects.filter(section__cohort=cohort).order_by("position")
    assert [(q.question, q.pending) for q in questions] == [
        ("도커 이미지 레이어는 어떻게 공유되나요?", False), ("컨테이너 로그는 어디서 보나요?", True)
    ]


def test_reimporting_the_same_file_changes_no_question(as_instructor, cohort):
    url = f"/api/cohorts/{cohort.slug}/notes.md"
    as_instructor.post(url, {"file": upload(NOTES)}, format="multipart")
    before = snapshot()
    again = as_instructor.post(url, {"file": upload(NOTES)}, format="multipart").json()
    assert (again["counts"]["added"], again["counts"]["unchanged"]) == (0, 2)
    assert snapshot() == before


def test_dry_run_reports_and_writes_nothing(as_instructor, cohort):
    response = as_instructor.post(
        f"/api/cohorts/{cohort.slug}/notes.md", {"file": upload(NOTES), "dry_run": "true"}, format="multipart"
    )
    assert response.status_code == 200 and response.json()["dry_run"] is True
    assert response.json()["counts"]["added"] == 2
    assert Question.objects.count() == 0


def test_file_that_is_not_notes_is_400_with_the_reason_and_changes_nothing(as_instructor, cohort, section):
    make_question(section, "있던 질문", "답")
    before = snapshot()
    url = f"/api/cohorts/{cohort.slug}/notes.md"
    for content, reason in [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        ("노트".encode("euc-kr"), "not UTF-8"),
        (b"   \n", "empty"),
        ("그냥 문장 하나\n", "no title"),
    ]:
        response = as_instructor.post(url, {"file": upload(content)}, format="multipart")
        assert response.status_code == 400, content
        assert reason in response.json()["file"][0]
    assert snapshot() == before


def test_upload_without_a_file_is_400(as_instructor, cohort):
    response = as_instructor.post(f"/api/cohorts/{cohort.slug}/notes.md", {}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()


def test_json_upload_is_415(as_instructor, cohort):
    response = as_instructor.post(f"/api/cohorts/{cohort.slug}/notes.md", {"file": NOTES}, format="json")
    assert response.status_code == 415


@override_settings(NOTES_MAX_BYTES=100)
def test_notes_file_over_the_size_limit_is_413_and_changes_nothing(as_instructor, cohort):
    response = as_instructor.post(f"/api/cohorts/{cohort.slug}/notes.md", {"file": upload(NOTES)}, format="multipart")
    assert response.status_code == 413
    assert Question.objects.count() == 0


def test_a_conflicting_reimport_lists_each_conflict_and_prefer_file_takes_the_file(as_instructor, cohort):
    url = f"/api/cohorts/{cohort.slug}/notes.md"
    as_instructor.post(url, {"file": upload(NOTES)}, format="multipart")
    logged = Question.objects.get(section__cohort=cohort, question="도커 이미지 레이어는 어떻게 공유되나요?")
    logged.answer = "사이트에서 고친 답"
    logged.save()
    changed = NOTES.replace("같은 레이어는 한 번만 저장됩니다.", "파일에서 고친 답")
    report = as_instructor.post(url, {"file": upload(changed)}, format="multipart").json()
    assert report["conflicts"] == [{
        "cohort": cohort.slug, "what": f"question {logged.pk} answer", "question": logged.pk,
        "site": "사이트에서 고친 답", "file": "  - 파일에서 고친 답", "kept": "site",
    }]
    assert f"question {logged.pk} answer" in report["summary"] and report["counts"]["conflicts"] == 1
    assert Question.objects.get(pk=logged.pk).answer == "사이트에서 고친 답"

    logged.refresh_from_db()
    logged.answer = "사이트에서 또 고친 답"
    logged.save()
    again = changed.replace("파일에서 고친 답", "파일에서 또 고친 답")
    report = as_instructor.post(url, {"file": upload(again), "prefer_file": "true"}, format="multipart").json()
    assert [c["kept"] for c in report["conflicts"]] == ["file"]
    assert Question.objects.get(pk=logged.pk).answer == "  - 파일에서 또 고친 답"
