"""The pending queue: every pending question of the cohorts I teach, oldest first, and its count."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qa.models import Question
from tests.factories import make_cohort, make_question, make_section, make_user

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def logged_at(hour, section, text, answer="..."):
    with time_machine.travel(datetime(2024, 1, 2, hour, tzinfo=SEOUL), tick=False):
        return make_question(section, text, answer)


@pytest.fixture
def queue_world(instructor, cohort):
    docker = make_section(cohort, "Docker")
    second = make_section(make_cohort("둘째 반", public=False, instructors=[instructor]), "Kubernetes")
    foreign = make_section(make_cohort("남의 반", instructors=[make_user("someone")]), "Docker")
    return {
        "late": logged_at(15, docker, "늦게 받은 질문"),
        "early": logged_at(9, second, "아침 질문", ""),
        "middle": logged_at(11, docker, "점심 전 질문", "- \n- ..."),
        "answered": logged_at(10, docker, "답한 질문", "답"),
        "foreign": logged_at(8, foreign, "남의 반 질문"),
    }


def test_the_queue_lists_my_cohorts_pending_questions_oldest_first(client, instructor, queue_world):
    client.force_login(instructor)
    response = client.get(reverse("pending"))
    assert [q.question for q, _form in response.context["items"]] == ["아침 질문", "점심 전 질문", "늦게 받은 질문"]
    assert "남의 반 질문" not in response.content.decode()
    assert "답한 질문" not in response.content.decode()


def test_the_queue_matches_the_named_queryset(instructor, queue_world):
    expected = {queue_world[k].pk for k in ("late", "early", "middle")}
    assert set(Question.objects.pending().writable_by(instructor).values_list("pk", flat=True)) == expected


def test_each_queued_question_has_its_own_answer_form_with_its_revision(client, instructor, queue_world):
    client.force_login(instructor)
    html = client.get(reverse("pending")).content.decode()
    early = queue_world["early"]
    assert f'action="{reverse("question-answer", args=[early.pk])}"' in html
    assert f'id="q{early.pk}-answer"' in html
    assert 'name="next" value="/pending/"' in html


def test_answering_removes_the_question_from_the_queue_and_the_count(client, instructor, queue_world):
    client.force_login(instructor)
    early = queue_world["early"]
    client.post(reverse("question-answer", args=[early.pk]), {"answer": "답 완료", "revision": early.revision})
    response = client.get(reverse("pending"))
    assert early not in [q for q, _form in response.context["items"]]
    assert 'data-nav-pending-count>2<' in response.content.decode()


def test_the_navigation_shows_an_instructor_the_pending_count(client, instructor, queue_world):
    client.force_login(instructor)
    assert 'data-nav-pending-count>3<' in client.get("/").content.decode()


def test_staff_see_every_pending_question(client, staff, queue_world):
    client.force_login(staff)
    response = client.get(reverse("pending"))
    assert len(response.context["items"]) == 4
    assert 'data-nav-pending-count>4<' in response.content.decode()


# Who gets the queue, the refusal or the login page, and whether the navigation offers the link.
QUEUE_BY_ROLE = {
    "anonymous": ("login", False),
    "student": (403, False),
    "other_student": (403, False),
    "instructor": (200, True),
    "other_instructor": (200, True),
    "staff": (200, True),
}


@pytest.mark.parametrize("role", QUEUE_BY_ROLE)
def test_only_those_who_teach_get_the_queue_and_the_link(client, people, queue_world, role):
    expected, offered = QUEUE_BY_ROLE[role]
    if people[role]:
        client.force_login(people[role])
    response = client.get(reverse("pending"))
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected
    assert ("data-nav-pending-count" in client.get("/").content.decode()) is offered


def _main(response):
    return re.search(r"<main .*</main>", response.content.decode(), re.S).group(0)


def test_the_queue_refuses_with_the_page_other_instructor_tools_refuse_with(client, student, queue_world):
    client.force_login(student)
    refused = client.get(reverse("pending"))
    markdown_tools = client.post("/markdownx/markdownify/", {"content": "x"})
    assert refused.status_code == markdown_tools.status_code == 403
    # The site's 403 page; its header carries the path and a fresh CSRF token, the refusal is <main>.
    assert _main(refused) == _main(markdown_tools) and "강사만 쓸 수 있습니다." in _main(refused)
    assert "아침 질문" not in refused.content.decode()


def test_the_queue_requires_login(client, queue_world):
    response = client.get(reverse("pending"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_navigation_count_is_one_query(rf, instructor, queue_world):
    from django.template import Context, Template

    request = rf.get("/")
    request.user = instructor
    template = Template("{% load instructor_tags %}{% pending_queue as queue %}{{ queue.count }}/{{ queue.teaches }}")
    with CaptureQueriesContext(connection) as queries:
        rendered = template.render(Context({"request": request}))
    assert rendered == "3/True"
    assert len(queries) == 1


def test_visitors_cost_the_navigation_no_query(rf, queue_world):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    request = rf.get("/")
    request.user = AnonymousUser()
    template = Template("{% load instructor_tags %}{% pending_queue as queue %}[{{ queue }}]")
    with CaptureQueriesContext(connection) as queries:
        assert template.render(Context({"request": request})) == "[None]"
    assert len(queries) == 0


def test_answer_boxes_start_empty_with_a_placeholder(client, instructor, queue_world):
    client.force_login(instructor)
    html = client.get(reverse("pending")).content.decode()
    middle = queue_world["middle"]  # stored answer "- \n- ..."
    textarea = re.search(rf'<textarea[^>]*id="q{middle.pk}-answer"[^>]*>(.*?)</textarea>', html, re.S)
    assert "placeholder=" in textarea.group(0)
    assert textarea.group(1).strip() == ""


def test_saving_an_empty_box_keeps_the_notes_placeholder_and_the_question_pending(client, instructor, queue_world):
    client.force_login(instructor)
    middle = queue_world["middle"]
    response = client.post(reverse("question-answer", args=[middle.pk]), {"answer": "", "revision": middle.revision})
    assert response.status_code == 302
    middle.refresh_from_db()
    assert (middle.answer, middle.pending) == ("- \n- ...", True)


def test_the_count_is_a_badge_and_imported_questions_say_imported_in_the_locales_format(client, instructor, cohort):
    section = make_section(cohort, "Docker")
    with time_machine.travel(datetime(2024, 1, 2, 9, tzinfo=SEOUL), tick=False):
        imported = make_question(section, "가져온 질문", "...")
        Question.objects.filter(pk=imported.pk).update(origin=Question.Origin.NOTES)
        make_question(section, "수업 중 질문", "...")
    client.force_login(instructor)
    html = client.get(reverse("pending"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert 'class="badge badge-pending count" data-pending-count>2<' in html
    assert "노트에서 가져옴" in html and "2024년 1월 2일" in html
    assert "01/02/2024" not in html
    client.post(reverse("set_language"), {"language": "en"})
    english = client.get(reverse("pending")).content.decode()
    assert "imported from the notes" in english and "Jan. 2, 2024" in english
    assert "01/02/2024" not in english
