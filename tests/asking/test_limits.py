"""The asking and voting limits count what was accepted: a refused ask or vote (bad input, a
closed cohort or question) uses up nothing, while a flood of accepted ones is still stopped."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from asking import actions
from asking.limits import RateLimited
from asking.models import StudentQuestion, Vote
from asking.participants import Participant
from tests.api.conftest import client_for as api_client_for
from tests.asking.conftest import as_participant
from tests.room.room_support import client_for, xhr

pytestmark = pytest.mark.django_db
LIMIT = 3
TIGHT = {"ask": (LIMIT, LIMIT, 600), "vote": (LIMIT, LIMIT, 600)}
REFUSED_TEXTS = ["", "   ", "x" * 2001, ">" * 100]


@override_settings(ASKING_LIMITS=TIGHT)
def test_refused_asks_leave_the_limit_to_accepted_ones(cohort, student):
    asker = as_participant(student)
    for _round in range(3):
        for text in REFUSED_TEXTS:
            with pytest.raises(actions.InvalidInput):
                actions.ask(cohort, asker, text)
        with pytest.raises(actions.InvalidInput):
            actions.ask(cohort, asker, "이름이 길면?", nickname="n" * 41)
    assert not StudentQuestion.objects.exists()
    for n in range(LIMIT):
        actions.ask(cohort, asker, f"받아들여진 질문 {n}")
    with pytest.raises(RateLimited):
        actions.ask(cohort, asker, "한도를 넘은 질문")
    assert StudentQuestion.objects.count() == LIMIT


@override_settings(ASKING_LIMITS=TIGHT)
def test_asks_refused_while_asking_was_closed_do_not_count(cohort):
    visitor = Participant("p:visitor", None, "10.9.9.9")
    for _ in range(LIMIT * 3):
        with pytest.raises(PermissionDenied):
            actions.ask(cohort, visitor, "열리기 전 질문")
    cohort.open_asking = True
    cohort.save()
    for n in range(LIMIT):
        actions.ask(cohort, visitor, f"열린 뒤 질문 {n}")
    with pytest.raises(RateLimited):
        actions.ask(cohort, visitor, "한도를 넘은 질문")
    # A fresh cookie from the same address is stopped too: the per-address count saw the accepted ones.
    with pytest.raises(RateLimited):
        actions.ask(cohort, Participant("p:new-cookie", None, "10.9.9.9"), "쿠키를 바꾼 질문")


@override_settings(ASKING_LIMITS=TIGHT)
def test_refused_asks_from_the_page_and_the_api_do_not_count(cohort, student):
    page, api = client_for(student), api_client_for(student)
    url = f"/cohorts/{cohort.slug}/ask/"
    for _ in range(LIMIT * 2):
        assert xhr(page, url, {"text": ""}).status_code == 400
        assert api.post(f"/api/cohorts/{cohort.slug}/student-questions/", {"text": ">" * 100}).status_code == 400
    assert xhr(page, url, {"text": "페이지에서 받아들여진 질문"}).status_code == 201
    api_url = f"/api/cohorts/{cohort.slug}/student-questions/"
    for n in range(LIMIT - 1):
        assert api.post(api_url, {"text": f"API 질문 {n}"}).status_code == 201
    assert api.post(api_url, {"text": "한도를 넘은 질문"}).status_code == 429
    assert xhr(page, url, {"text": "한도를 넘은 페이지 질문"}).status_code == 429
    assert StudentQuestion.objects.count() == LIMIT


@override_settings(ASKING_LIMITS={**TIGHT, "ask": (100, 100, 600)})
def test_votes_refused_on_closed_questions_do_not_count(cohort, student, instructor):
    closed = actions.ask(cohort, as_participant(instructor), "닫힌 질문")
    actions.dismiss(closed, instructor)
    voter = as_participant(student)
    for _ in range(LIMIT * 3):
        with pytest.raises(actions.Conflict):
            actions.vote(closed, voter)
        with pytest.raises(actions.Conflict):
            actions.unvote(closed, voter)
    asker = as_participant(instructor)
    questions = [actions.ask(cohort, asker, f"열린 질문 {n}") for n in range(LIMIT + 1)]
    for question in questions[:LIMIT]:
        assert actions.vote(question, voter) is True
    with pytest.raises(RateLimited):
        actions.vote(questions[LIMIT], voter)
    assert Vote.objects.filter(voter=voter.key).count() == LIMIT


@override_settings(ASKING_LIMITS=TIGHT)
def test_an_ask_refused_for_its_address_leaves_the_visitors_own_count(cohort):
    cohort.open_asking = True
    cohort.save()
    for n in range(LIMIT):  # a crowd behind one address uses up its share
        actions.ask(cohort, Participant(f"p:crowd-{n}", None, "10.1.1.1"), f"같은 주소 질문 {n}")
    wanderer = Participant("p:wanderer", None, "10.1.1.1")
    with pytest.raises(RateLimited):
        actions.ask(cohort, wanderer, "주소 한도에 걸린 질문")
    moved = Participant("p:wanderer", None, "10.2.2.2")  # the same visitor, on another network
    for n in range(LIMIT):
        actions.ask(cohort, moved, f"다른 주소 질문 {n}")
    assert StudentQuestion.objects.filter(participant="p:wanderer").count() == LIMIT
