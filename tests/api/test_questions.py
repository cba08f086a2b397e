"""/api/questions/: fields, filters, ordering, pagination, create/edit/delete, validation."""

import pytest

from qa.models import Question, Section
from tests.factories import make_cohort, make_question, make_section


def ids(response):
    return [item["id"] for item in response.json()["results"]]


@pytest.fixture
def sample(cohort, private_cohort, section):
    """Questions in a public cohort (two sections) and a private one."""
    k8s = make_section(cohort, "Kubernetes")
    hidden = make_section(private_cohort, "Docker")
    return {
        "volume": make_question(section, "도커 볼륨은 어디에 저장되나요?", "`/var/lib/docker/volumes`", chapter=4),
        "multistage": make_question(section, "멀티스테이지 빌드의 장점은?", "...", chapter=6),
        "pod": make_question(k8s, "파드와 컨테이너의 차이?", "파드는 컨테이너의 묶음", chapter=9),
        "private": make_question(hidden, "비공개 질문입니다", "비공개 답변"),
    }


def test_question_fields_match_the_stored_question(anon, sample, cohort):
    q = sample["volume"]
    data = anon.get(f"/api/questions/{q.pk}/").json()
    assert data == {
        "id": q.pk,
        "url": q.get_absolute_url(),
        "cohort": cohort.slug,
        "section": q.section_id,
        "section_title": "Docker",
        "chapter": 4,
        "chapter_source": "inferred",  # a factory's chapter says nothing of where it came from
        "question": "도커 볼륨은 어디에 저장되나요?",
        "question_html": q.question_html,
        "answer": "`/var/lib/docker/volumes`",
        "answer_html": "<p><code>/var/lib/docker/volumes</code></p>\n",
        "pending": False,
        "position": q.position,
        "author": None,
        "origin": "site",
        "revision": q.revision,
        "created_at": data["created_at"],
        "updated_at": data["updated_at"],
    }


def test_list_shows_only_questions_the_client_may_see(anon, as_student, sample):
    assert sorted(ids(anon.get("/api/questions/"))) == sorted(
        sample[k].pk for k in ("volume", "multistage", "pod")
    )
    assert sample["private"].pk in ids(as_student.get("/api/questions/"))


@pytest.mark.parametrize(
    "query, expected",
    [
        ("cohort={public}", {"volume", "multistage", "pod"}),
        ("section=Kubernetes", {"pod"}),
        ("section={docker_id}", {"volume", "multistage"}),
        ("chapter=6", {"multistage"}),
        ("pending=true", {"multistage"}),
        ("pending=false", {"volume", "pod"}),
        ("search=볼륨", {"volume"}),
        ("search=컨테이너 파드", {"pod"}),
        ("search=컨테이", {"pod"}),
        ("search=볼륨 파드", set()),
        ("cohort=no-such-cohort", set()),
        ("cohort={private}", set()),
        ("section=Docker&pending=false", {"volume"}),
    ],
)
def test_filters_select_the_expected_questions(anon, sample, cohort, private_cohort, section, query, expected):
    url = "/api/questions/?" + query.format(public=cohort.slug, private=private_cohort.slug, docker_id=section.pk)
    response = anon.get(url)
    assert response.status_code == 200
    assert set(ids(response)) == {sample[name].pk for name in expected}


def test_section_title_filter_spans_cohorts_unless_a_cohort_is_given(as_student, sample, cohort):
    everywhere = set(ids(as_student.get("/api/questions/?section=Docker")))
    assert everywhere == {sample["volume"].pk, sample["multistage"].pk, sample["private"].pk}
    in_one = set(ids(as_student.get(f"/api/questions/?section=Docker&cohort={cohort.slug}")))
    assert in_one == {sample["volume"].pk, sample["multistage"].pk}


@pytest.mark.parametrize(
    "query, field",
    [("chapter=abc", "chapter"), ("chapter=0", "chapter"), ("chapter=6.5", "chapter"), ("pending=maybe", "pending"),
     ("ordering=question", "ordering"), ("search=" + "x" * 201, "search")],
)
def test_invalid_filter_values_are_400_naming_the_parameter(anon, sample, query, field):
    response = anon.get("/api/questions/?" + query)
    assert response.status_code == 400
    assert field in response.json()


def test_ordering_by_creation_and_notes_order(anon, sample):
    newest_first = ids(anon.get("/api/questions/?ordering=-created_at"))
    assert newest_first == [sample["pod"].pk, sample["multistage"].pk, sample["volume"].pk]
    notes_order = ids(anon.get("/api/questions/?ordering=position"))
    assert notes_order == [sample["volume"].pk, sample["multistage"].pk, sample["pod"].pk]
    assert ids(anon.get("/api/questions/?ordering=-position")) == notes_order[::-1]


def test_page_size_is_honoured_up_to_1000(anon, section):
    Question.objects.bulk_create(
        [Question(section=section, question=f"q{i}", position=i) for i in range(1, 1003)]
    )
    small = anon.get("/api/questions/?page_size=7").json()
    assert (small["count"], len(small["results"])) == (1002, 7)
    capped = anon.get("/api/questions/?page_size=5000").json()
    assert len(capped["results"]) == 1000
    assert capped["next"].endswith("page=2&page_size=5000")
    assert len(anon.get("/api/questions/?page_size=5000&page=2").json()["results"]) == 2


def test_instructor_creates_a_question_authored_by_them(as_instructor, instructor, cohort, section):
    response = as_instructor.post(
        "/api/questions/",
        {"cohort": cohort.slug, "section": section.pk, "question": "CMD와 ENTRYPOINT 차이?", "chapter": 6},
        format="json",
    )
    assert response.status_code == 201
    question = Question.objects.get(pk=response.json()["id"])
    assert (question.author, question.origin, question.chapter.number) == (instructor, "site", 6)
    assert question.pending and response.json()["pending"] is True
    assert response["ETag"] == question.etag


def test_create_with_a_new_section_title_creates_the_section_at_the_end(as_instructor, cohort, section):
    response = as_instructor.post(
        "/api/questions/", {"cohort": cohort.slug, "section": "Helm", "question": "차트란?"}, format="json"
    )
    assert response.status_code == 201
    helm = Section.objects.get(cohort=cohort, title="Helm")
    assert (helm.heading, helm.position) == ("## Helm", section.position + 1)
    assert response.json()["section"] == helm.pk


def test_create_with_an_existing_section_title_reuses_it(as_instructor, cohort, section):
    response = as_instructor.post(
        "/api/questions/", {"cohort": cohort.slug, "section": "Docker", "question": "q"}, format="json"
    )
    assert response.json()["section"] == section.pk
    assert Section.objects.filter(cohort=cohort).count() == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"section": "Docker", "question": "q"}, "cohort"),
        ({"cohort": "no-such-cohort", "section": "Docker", "question": "q"}, "cohort"),
        ({"cohort": "{cohort}", "section": 999999, "question": "q"}, "section"),
        ({"cohort": "{cohort}", "section": "{other_section}", "question": "q"}, "section"),
        ({"cohort": "{cohort}", "section": "   ", "question": "q"}, "section"),
        ({"cohort": "{cohort}", "section": ["Docker"], "question": "q"}, "section"),
        ({"cohort": "{cohort}", "section": "Docker", "question": ""}, "question"),
        ({"cohort": "{cohort}", "section": "Docker", "question": "   "}, "question"),
        ({"cohort": "{cohort}", "section": "Docker", "question": "긴" * 2001}, "question"),
        ({"cohort": "{cohort}", "section": "Docker", "question": "q", "answer": "a" * 50001}, "answer"),
        ({"cohort": "{cohort}", "section": "Docker", "question": "q", "chapter": 16}, "chapter"),
        ({"cohort": "{cohort}", "section": "Docker", "question": "q", "chapter": "six"}, "chapter"),
        ({"cohort": "{cohort}", "section": "Docker", "question": {"text": "q"}}, "question"),
        ({"cohort": "{cohort}", "section": "Docker", "question": "q\x00"}, "question"),
        ({"cohort": "{cohort}", "section": "Docker", "question": "q", "position": 0}, "position"),
    ],
)
def test_invalid_create_is_400_with_a_field_message_and_creates_nothing(as_instructor, cohort, section, body, field):
    other_section = make_section(make_cohort(), "Docker")
    body = {
        k: (v.format(cohort=cohort.slug, other_section=other_section.pk) if isinstance(v, str) and "{" in v else v)
        for k, v in body.items()
    }
    if body.get("section") == str(other_section.pk):
        body["section"] = other_section.pk
    cohort.refresh_from_db()
    before = (Question.objects.count(), Section.objects.count(), cohort.version)
    response = as_instructor.post("/api/questions/", body, format="json")
    assert response.status_code == 400
    assert field in response.json() and isinstance(response.json()[field], list)
    cohort.refresh_from_db()
    assert (Question.objects.count(), Section.objects.count(), cohort.version) == before


def test_private_cohort_the_client_cannot_see_is_an_unknown_cohort(as_outsider, private_cohort):
    response = as_outsider.post(
        "/api/questions/", {"cohort": private_cohort.slug, "section": "Docker", "question": "q"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"cohort": ["No cohort with this slug."]}


def test_body_that_is_not_an_object_is_400(as_instructor):
    response = as_instructor.post("/api/questions/", [1, 2], format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_patch_answers_a_pending_question(as_instructor, section):
    question = make_question(section, "질문", "...")
    response = as_instructor.patch(f"/api/questions/{question.pk}/", {"answer": "- 답변"}, format="json")
    assert response.status_code == 200
    question.refresh_from_db()
    assert (question.answer, question.pending, question.revision) == ("- 답변", False, 2)
    assert response.json()["answer_html"] == "<ul>\n<li>답변</li>\n</ul>\n"
    assert response["ETag"] == question.etag


def test_patch_moves_a_question_to_another_section_by_title(as_instructor, section, cohort):
    question = make_question(section, "질문")
    response = as_instructor.patch(f"/api/questions/{question.pk}/", {"section": "Kubernetes"}, format="json")
    assert response.status_code == 200
    question.refresh_from_db()
    assert question.section.title == "Kubernetes" and question.section.cohort == cohort


def test_patch_cannot_move_a_question_to_another_cohort(as_instructor, instructor, section):
    question = make_question(section, "질문")
    other = make_cohort(instructors=[instructor])
    response = as_instructor.patch(f"/api/questions/{question.pk}/", {"cohort": other.slug}, format="json")
    assert response.status_code == 400
    assert response.json() == {"cohort": ["A question cannot move to another cohort."]}
    question.refresh_from_db()
    assert question.section == section


def test_put_replaces_the_editable_fields(as_instructor, cohort, section):
    question = make_question(section, "질문", "답", chapter=4)
    response = as_instructor.put(
        f"/api/questions/{question.pk}/",
        {"cohort": cohort.slug, "section": section.pk, "question": "고친 질문", "answer": "고친 답", "chapter": None},
        format="json",
    )
    assert response.status_code == 200
    question.refresh_from_db()
    assert (question.question, question.answer, question.chapter) == ("고친 질문", "고친 답", None)


def test_put_without_required_fields_is_400_and_changes_nothing(as_instructor, section):
    question = make_question(section, "질문", "답")
    response = as_instructor.put(f"/api/questions/{question.pk}/", {"answer": "새 답"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"cohort", "section", "question"}
    question.refresh_from_db()
    assert (question.answer, question.revision) == ("답", 1)


def test_delete_removes_the_question_and_bumps_the_cohort_version(as_instructor, section, cohort):
    question = make_question(section, "질문")
    cohort.refresh_from_db()
    version = cohort.version
    assert as_instructor.delete(f"/api/questions/{question.pk}/").status_code == 204
    assert not Question.objects.filter(pk=question.pk).exists()
    cohort.refresh_from_db()
    assert cohort.version > version


def test_session_login_works_like_a_token(client, student, private_cohort):
    question = make_question(make_section(private_cohort), "비공개")
    client.force_login(student)
    assert client.get(f"/api/questions/{question.pk}/").status_code == 200
    client.logout()
    assert client.get(f"/api/questions/{question.pk}/").status_code == 404


def test_session_writes_need_the_csrf_token(instructor, section):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(instructor)
    question = make_question(section, "질문")
    response = client.patch(f"/api/questions/{question.pk}/", {"answer": "a"}, format="json")
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.answer == ""


def test_list_queries_do_not_grow_with_the_page(anon, section, django_assert_max_num_queries):
    for n in range(30):
        make_question(section, f"질문 {n}", "답", chapter=1 + n % 15)
    with django_assert_max_num_queries(6):
        assert len(anon.get("/api/questions/?page_size=100").json()["results"]) == 30


# --- Placement: section and chapter optional on create (qa.placement) ---------------------------------


def test_create_without_section_or_chapter_follows_the_chapter_named_in_the_question(as_instructor, cohort, section):
    body = {"cohort": cohort.slug, "question": "StatefulSet과 Deployment의 차이는? (CH08)"}
    response = as_instructor.post("/api/questions/", body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["section_title"], response.json()["chapter"]) == ("Kubernetes", 8)


def test_create_with_a_section_but_no_chapter_takes_the_chapter_from_the_text(as_instructor, cohort, section):
    body = {"cohort": cohort.slug, "section": section.pk, "question": "실습 05 빌드 오류"}
    response = as_instructor.post("/api/questions/", body, format="json")
    assert (response.json()["section"], response.json()["chapter"]) == (section.pk, 6)


def test_an_explicit_null_chapter_stays_null(as_instructor, cohort, section):
    response = as_instructor.post(
        "/api/questions/", {"cohort": cohort.slug, "question": "CH08 질문", "chapter": None}, format="json"
    )
    assert response.status_code == 201
    assert (response.json()["section_title"], response.json()["chapter"]) == ("Kubernetes", None)


def test_create_with_nothing_to_place_by_is_400_and_creates_nothing(as_instructor, instructor):
    from courses.models import Membership

    empty = make_cohort("섹션 없는 반", starts_on=None, ends_on=None)
    Membership.objects.create(cohort=empty, user=instructor, role=Membership.Role.INSTRUCTOR)
    response = as_instructor.post("/api/questions/", {"cohort": empty.slug, "question": "그냥 질문"}, format="json")
    assert response.status_code == 400 and "section" in response.json()
    assert not Question.objects.filter(section__cohort=empty).exists() and not empty.sections.exists()
