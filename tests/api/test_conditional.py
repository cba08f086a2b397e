"""ETag, If-None-Match (304), If-Match (412) and Idempotency-Key over the API,
and the framework-light helpers in mspt3.conditional they are built on."""

import pytest
from django.test import RequestFactory

from mspt3.conditional import InvalidIdempotencyKey, idempotency_key, if_match_failed, is_not_modified, tag_for
from qa.api.serializers import QuestionWriteSerializer
from qa.models import Question
from tests.api.conftest import client_for
from tests.factories import make_cohort, make_progress, make_question, make_section


def request_with(**headers):
    return RequestFactory().get("/", headers=headers)


# ---------------------------------------------------------------- helpers


def test_if_none_match_uses_weak_comparison_and_star():
    assert is_not_modified(request_with(**{"If-None-Match": '"a", W/"b"'}), '"b"')
    assert is_not_modified(request_with(**{"If-None-Match": "*"}), '"b"')
    assert not is_not_modified(request_with(**{"If-None-Match": '"a"'}), '"b"')
    assert not is_not_modified(request_with(), '"b"')


def test_if_match_uses_strong_comparison_and_is_absent_by_default():
    assert not if_match_failed(request_with(), '"b"')
    assert not if_match_failed(request_with(**{"If-Match": '"a", "b"'}), '"b"')
    assert not if_match_failed(request_with(**{"If-Match": "*"}), '"b"')
    assert if_match_failed(request_with(**{"If-Match": 'W/"b"'}), '"b"')
    assert if_match_failed(request_with(**{"If-Match": "garbage"}), '"b"')


def test_idempotency_key_is_scoped_per_user_and_validated(instructor, student):
    request = request_with(**{"Idempotency-Key": "retry-1"})
    assert idempotency_key(request, instructor) == f"{instructor.pk}:retry-1"
    assert idempotency_key(request, student) != idempotency_key(request, instructor)
    assert idempotency_key(request_with(), instructor) is None
    for bad in ("", "has space", "x" * 81):
        with pytest.raises(InvalidIdempotencyKey):
            idempotency_key(request_with(**{"Idempotency-Key": bad}), instructor)


def test_tag_for_changes_with_any_part():
    assert tag_for(1, "a") == tag_for(1, "a")
    assert tag_for(1, "a") != tag_for(1, "b")
    assert tag_for(1, "a").startswith('"') and tag_for(1, "a").endswith('"')


# ---------------------------------------------------------------- single objects


def test_question_carries_its_etag_and_answers_304_until_it_changes(anon, section):
    question = make_question(section, "질문")
    first = anon.get(f"/api/questions/{question.pk}/")
    assert first["ETag"] == question.etag
    again = anon.get(f"/api/questions/{question.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", question.etag)
    question.answer = "답"
    question.save()
    changed = anon.get(f"/api/questions/{question.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] == question.etag != first["ETag"]


def test_cohort_detail_etag_changes_with_its_questions_and_progress(anon, cohort, section):
    url = f"/api/cohorts/{cohort.slug}/"
    tag = anon.get(url)["ETag"]
    assert anon.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304
    make_question(section, "새 질문")
    tag2 = anon.get(url, HTTP_IF_NONE_MATCH=tag)
    assert tag2.status_code == 200 and tag2.json()["question_count"] == 1
    make_progress(cohort, 3, theory=True)
    assert anon.get(url, HTTP_IF_NONE_MATCH=tag2["ETag"]).status_code == 200


def test_cohort_detail_etag_changes_when_an_admin_edits_the_cohort(anon, cohort):
    url = f"/api/cohorts/{cohort.slug}/"
    tag = anon.get(url)["ETag"]
    cohort.track = "AWS"
    cohort.save()
    assert anon.get(url, HTTP_IF_NONE_MATCH=tag).json()["track"] == "AWS"


def test_stale_if_match_is_412_with_the_current_version_and_changes_nothing(as_instructor, section):
    question = make_question(section, "질문", "첫 답")
    loaded = question.etag
    question.answer = "동료가 쓴 답"
    question.save()
    response = as_instructor.patch(
        f"/api/questions/{question.pk}/", {"answer": "내 답"}, format="json", HTTP_IF_MATCH=loaded
    )
    assert response.status_code == 412
    assert response.json()["current"]["answer"] == "동료가 쓴 답"
    assert response["ETag"] == question.etag
    question.refresh_from_db()
    assert (question.answer, question.revision) == ("동료가 쓴 답", 2)


def test_current_if_match_is_accepted_and_returns_the_new_etag(as_instructor, section):
    question = make_question(section, "질문")
    response = as_instructor.patch(
        f"/api/questions/{question.pk}/", {"answer": "답"}, format="json", HTTP_IF_MATCH=question.etag
    )
    assert response.status_code == 200
    question.refresh_from_db()
    assert response["ETag"] == question.etag == f'"q{question.pk}-r2"'


def test_edit_that_loses_the_race_after_the_if_match_check_is_412(as_instructor, section, monkeypatch):
    """Someone saves between our If-Match check and our write: save_checked refuses."""
    question = make_question(section, "질문", "원래 답")
    real_is_valid = QuestionWriteSerializer.is_valid

    def colleague_saves_meanwhile(self, **kwargs):
        colleague = Question.objects.get(pk=question.pk)
        colleague.answer = "동료 답"
        colleague.save()
        return real_is_valid(self, **kwargs)

    monkeypatch.setattr(QuestionWriteSerializer, "is_valid", colleague_saves_meanwhile)
    response = as_instructor.patch(
        f"/api/questions/{question.pk}/", {"answer": "내 답"}, format="json", HTTP_IF_MATCH=question.etag
    )
    assert response.status_code == 412
    question.refresh_from_db()
    assert question.answer == "동료 답"


def test_write_without_if_match_is_accepted_even_if_stale(as_instructor, section):
    question = make_question(section, "질문", "첫 답")
    question.answer = "두 번째"
    question.save()
    response = as_instructor.patch(f"/api/questions/{question.pk}/", {"answer": "세 번째"}, format="json")
    assert response.status_code == 200
    question.refresh_from_db()
    assert question.answer == "세 번째"


def test_delete_with_a_stale_if_match_is_412_and_keeps_the_question(as_instructor, section):
    question = make_question(section, "질문")
    loaded = question.etag
    question.save()
    response = as_instructor.delete(f"/api/questions/{question.pk}/", HTTP_IF_MATCH=loaded)
    assert response.status_code == 412
    assert Question.objects.filter(pk=question.pk).exists()
    assert as_instructor.delete(f"/api/questions/{question.pk}/", HTTP_IF_MATCH=question.etag).status_code == 204


def test_progress_patch_with_stale_if_match_is_412(as_instructor, cohort):
    url = f"/api/cohorts/{cohort.slug}/progress/6/"
    loaded = as_instructor.get(url)["ETag"]
    assert as_instructor.patch(url, {"theory_done": True}, format="json", HTTP_IF_MATCH=loaded).status_code == 200
    stale = as_instructor.patch(url, {"lab_done": True}, format="json", HTTP_IF_MATCH=loaded)
    assert stale.status_code == 412
    assert stale.json()["current"]["lab_done"] is False and stale.json()["current"]["theory_done"] is True


# ---------------------------------------------------------------- lists


@pytest.mark.parametrize("url", ["/api/questions/", "/api/questions/?cohort={slug}", "/api/cohorts/",
                                 "/api/cohorts/{slug}/progress/", "/api/chapters/", "/api/cohorts/{slug}/notes.md"])
def test_unchanged_list_answers_304(anon, cohort, section, url):
    make_question(section, "질문")
    url = url.format(slug=cohort.slug)
    tag = anon.get(url)["ETag"]
    response = anon.get(url, HTTP_IF_NONE_MATCH=tag)
    assert (response.status_code, response.content) == (304, b"")


def change_answer(question):
    question.answer = "바뀐 답"
    question.save()


def add_question(question):
    make_question(question.section, "추가 질문")


def delete_question(question):
    question.delete()


def rename_cohort(question):
    cohort = question.section.cohort
    cohort.slug = "renamed"
    cohort.save()


def bump_without_touching_the_cohort(question):
    """A bulk update (no save(), no cohort touch) still moves updated_at."""
    from django.utils import timezone

    Question.objects.filter(pk=question.pk).update(answer="직접 수정", updated_at=timezone.now())


@pytest.mark.parametrize(
    "change", [change_answer, add_question, delete_question, rename_cohort, bump_without_touching_the_cohort]
)
def test_question_list_etag_changes_whenever_a_listed_item_changes(anon, section, change):
    question = make_question(section, "질문")
    make_question(section, "다른 질문")
    tag = anon.get("/api/questions/")["ETag"]
    change(question)
    assert anon.get("/api/questions/", HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_question_list_etag_differs_by_filter_and_by_who_asks(anon, as_student, cohort, private_cohort, section):
    make_question(section, "질문")
    make_question(make_section(private_cohort), "비공개")
    tag = anon.get("/api/questions/")["ETag"]
    assert anon.get("/api/questions/?pending=true")["ETag"] != tag
    assert as_student.get("/api/questions/", HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_cohort_list_etag_changes_when_a_cohort_appears_or_changes(anon, cohort, section):
    tag = anon.get("/api/cohorts/")["ETag"]
    make_question(section, "질문")
    tag2 = anon.get("/api/cohorts/", HTTP_IF_NONE_MATCH=tag)
    assert tag2.status_code == 200
    make_cohort("새 공개 코호트")
    assert anon.get("/api/cohorts/", HTTP_IF_NONE_MATCH=tag2["ETag"]).status_code == 200


# ---------------------------------------------------------------- idempotency


def post_question(client, cohort, key, text="질문"):
    body = {"cohort": cohort.slug, "section": "Docker", "question": text}
    return client.post("/api/questions/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_retry_with_the_same_key_returns_the_first_result_and_creates_nothing(as_instructor, cohort):
    first = post_question(as_instructor, cohort, "class-1-q-7")
    retry = post_question(as_instructor, cohort, "class-1-q-7")
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Question.objects.count() == 1


def test_different_keys_create_different_questions(as_instructor, cohort):
    post_question(as_instructor, cohort, "k1")
    post_question(as_instructor, cohort, "k2")
    assert Question.objects.count() == 2


def test_the_same_key_from_two_users_does_not_replay_across_them(instructor, staff, cohort):
    mine = post_question(client_for(instructor), cohort, "shared-key", "내 질문")
    theirs = post_question(client_for(staff), cohort, "shared-key", "관리자 질문")
    assert mine.json()["id"] != theirs.json()["id"]
    assert theirs.json()["question"] == "관리자 질문"


def test_invalid_idempotency_key_is_400_and_creates_nothing(as_instructor, cohort):
    response = post_question(as_instructor, cohort, "x" * 81)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    assert Question.objects.count() == 0


def test_key_of_a_question_no_longer_visible_is_refused_not_reused(instructor, cohort):
    client = client_for(instructor)
    post_question(client, cohort, "gone")
    cohort.is_public = False
    cohort.save()
    cohort.memberships.all().delete()
    other = make_cohort(instructors=[instructor])
    response = post_question(client, other, "gone")
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    assert Question.objects.count() == 1


def test_the_same_key_with_another_question_is_422_and_creates_nothing(as_instructor, cohort):
    first = post_question(as_instructor, cohort, "class-1-q-8", "첫 질문")
    second = post_question(as_instructor, cohort, "class-1-q-8", "두 번째 질문")
    assert (first.status_code, second.status_code) == (201, 422)
    assert "Idempotency-Key" in second.json()["detail"]
    assert "Idempotent-Replayed" not in second
    assert list(Question.objects.values_list("question", flat=True)) == ["첫 질문"]


def test_the_same_key_for_another_cohort_is_422_and_creates_nothing(instructor, as_instructor, cohort):
    other = make_cohort(instructors=[instructor])
    assert post_question(as_instructor, cohort, "class-1-q-9").status_code == 201
    response = post_question(as_instructor, other, "class-1-q-9")
    assert response.status_code == 422
    assert not Question.objects.filter(section__cohort=other).exists()
    assert Question.objects.count() == 1


def test_the_same_body_in_another_key_order_is_still_a_replay(as_instructor, cohort):
    body = {"cohort": cohort.slug, "section": "Docker", "question": "순서만 다른 본문"}
    first = as_instructor.post("/api/questions/", body, format="json", HTTP_IDEMPOTENCY_KEY="same")
    shuffled = dict(reversed(body.items()))
    again = as_instructor.post("/api/questions/", shuffled, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert Question.objects.count() == 1
