"""The quick entry's outbox in Chromium: every Enter is its own question with its own key, safe in
localStorage, listed, editable and deletable while it waits, and all of them arrive exactly once, in
the order typed — across reloads while the browser is offline and through a server answering 502."""

import json
import time

import pytest

from qa.models import Question
from tests.factories import make_cohort, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TYPED = ["첫 번째 오프라인 질문", "두 번째: 볼륨은 어디에 저장되나요?", "세 번째 — 포트 매핑이 안 돼요"]


@pytest.fixture
def desk(logged_in_context, live_server):
    """An instructor's cohort page."""
    yield from open_desk(logged_in_context, live_server)


@pytest.fixture
def desk_without_worker(logged_in_context, live_server):
    """The same page with the offline worker blocked: Chromium sends the requests of a page that a
    service worker controls past Playwright's routes, so a test that fakes the server's answers
    must not let the worker take over (it would, at a random moment, right after the first load)."""
    yield from open_desk(logged_in_context, live_server, service_workers="block")


def open_desk(logged_in_context, live_server, **context_options):
    teacher = make_user("teacher")
    cohort = make_cohort("MSP T3 - 오프라인 반", public=False, instructors=[teacher])
    docker, kubernetes = make_section(cohort, "Docker"), make_section(cohort, "Kubernetes")
    context = logged_in_context(teacher, **context_options)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None)
    started = time.monotonic()
    page.goto(f"{live_server.url}{cohort.get_absolute_url()}")
    loaded = time.monotonic() - started
    yield {"page": page, "cohort": cohort, "docker": docker, "kubernetes": kubernetes, "loaded": loaded,
           "teacher": teacher}
    assert problems == []


def wait_until_kept_for_offline(page):
    """The page keeps itself (and its scripts) for offline reloads, served by the offline worker."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10000)
    kept = "() => caches.open('mspt3-offline').then(c => c.match(location.href)).then(r => !!r)"
    for _ in range(100):
        if page.evaluate(kept):
            return
        time.sleep(0.05)
    pytest.fail("the page was not kept for offline use")


def outbox(page):
    key = page.locator("[data-quick-entry]").get_attribute("data-outbox-key")
    return json.loads(page.evaluate(f"() => localStorage.getItem({json.dumps(key)}) || '[]'"))


def listed(page):
    return page.locator("[data-outbox-list] .outbox-text").all_inner_texts()


def type_question(page, text):
    """Type as a person does (one key press per character) and press Enter: returns the key presses."""
    box = page.locator("#id_question")
    box.press_sequentially(text)
    box.press("Enter")
    return len(text) + 1


def saved_in_order(section):
    return list(section.questions.order_by("position", "id").values_list("question", flat=True))


def wait_for_rows(page, count, timeout=20.0):
    """Poll the database, letting the browser run meanwhile (Playwright's routes need the test thread)."""
    deadline = time.monotonic() + timeout
    while Question.objects.count() < count and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    return Question.objects.count()


def really_offline(page):
    """Even through the offline worker, the server cannot be reached."""
    return page.evaluate("() => fetch('/healthz', {cache: 'no-store'}).then(() => false, () => true)")


def test_three_questions_typed_offline_survive_two_reloads_and_arrive_once_each_in_typed_order(desk):
    page = desk["page"]
    box = page.locator("#id_question")
    wait_until_kept_for_offline(page)
    page.context.set_offline(True)
    for n, text in enumerate(TYPED, start=1):
        type_question(page, text)
        # Cleared at once and still focused: the question is safe in the outbox, listed there.
        assert box.input_value() == ""
        assert page.evaluate("() => document.activeElement.id") == "id_question"
        page.locator("[data-outbox-status]").filter(has_text=str(n)).wait_for(timeout=3000)
        assert listed(page) == TYPED[:n]
    keys = [entry["key"] for entry in outbox(page)]
    assert len(set(keys)) == 3 and all(len(key) == 36 for key in keys)
    box.press_sequentially("아직 보내지 않은 초안")  # typed, not sent: the draft must survive too

    for _reload in range(2):
        page.reload()
        assert really_offline(page)
        page.locator("[data-outbox-status]").filter(has_text="3").wait_for(timeout=5000)
        assert listed(page) == TYPED
        assert box.input_value() == "아직 보내지 않은 초안"
    assert [entry["key"] for entry in outbox(page)] == keys
    # The browser saw every attempt fail. Chromium's offline emulation sometimes lets the first request
    # of a freshly reloaded page reach the server and fails only its response: the lost-response case.
    # Only the head of the outbox is ever sent, so at most Q1 can be there; it must not arrive twice.
    assert saved_in_order(desk["docker"]) in ([], TYPED[:1])

    page.context.set_offline(False)
    back = time.monotonic()
    assert wait_for_rows(page, 3) == 3
    arrived = time.monotonic() - back
    page.locator(".qa-items .question", has_text=TYPED[2]).wait_for(timeout=5000)
    print(f"\nback online → all three rows in the database: {arrived:.2f} s")
    assert saved_in_order(desk["docker"]) == TYPED
    assert list(Question.objects.order_by("id").values_list("question", flat=True)) == TYPED
    assert sorted(Question.objects.values_list("idempotency_key", flat=True)) == sorted(
        f"{desk['teacher'].pk}:{key}" for key in keys
    )
    page.locator("[data-outbox-list]").wait_for(state="hidden", timeout=3000)
    assert outbox(page) == []
    assert box.input_value() == "아직 보내지 않은 초안"
    page.wait_for_timeout(1000)  # nothing is sent twice afterwards
    assert Question.objects.count() == 3


def test_two_questions_typed_offline_are_two_entries_and_both_arrive(desk):
    """The reported loss: Q1 + Enter, then Q2 + Enter, offline; back online only Q2 was saved."""
    page = desk["page"]
    page.context.set_offline(True)
    box = page.locator("#id_question")
    box.fill(TYPED[0])
    box.press("Enter")
    box.fill(TYPED[1])  # replaces whatever the box holds, as the reporter did
    box.press("Enter")
    page.locator("[data-outbox-status]").filter(has_text="2").wait_for(timeout=3000)
    assert [entry["fields"]["question"] for entry in outbox(page)] == TYPED[:2]
    page.context.set_offline(False)
    assert wait_for_rows(page, 2) == 2
    assert saved_in_order(desk["docker"]) == TYPED[:2]


def test_a_server_answering_502_twice_still_gets_every_question_once_in_order(desk_without_worker):
    desk = desk_without_worker
    page = desk["page"]
    answered = []
    held = []  # requests the server would accept, held until the test has seen all three waiting

    def bad_gateway_twice(route):
        if route.request.method != "POST":
            route.continue_()
        elif answered.count(502) < 2:
            answered.append(502)
            route.fulfill(status=502, body="Bad Gateway")
        elif held is not None:
            held.append(route)  # hangs (well inside the page's 15 s send timeout) until released
        else:
            answered.append("server")
            route.continue_()

    page.route("**/questions/", bad_gateway_twice)
    started = time.monotonic()
    for text in TYPED:
        type_question(page, text)
    assert page.locator("#id_question").input_value() == ""
    # However slowly the machine types, Q1 is still on its way here: all three wait, in order.
    page.locator("[data-outbox-status]").filter(has_text="3").wait_for(timeout=5000)
    assert listed(page) == TYPED
    assert Question.objects.count() == 0
    waiting, held = held, None
    for route in waiting:
        answered.append("server")
        route.continue_()
    assert wait_for_rows(page, 3) == 3
    print(f"\nthree questions through two 502s: {time.monotonic() - started:.2f} s from the first key press")
    assert saved_in_order(desk["docker"]) == TYPED
    page.locator("[data-outbox-list]").wait_for(state="hidden", timeout=3000)
    assert answered == [502, 502, "server", "server", "server"]
    assert outbox(page) == []


def test_an_outbox_entry_can_be_edited_and_another_deleted_while_offline(desk):
    page = desk["page"]
    wait_until_kept_for_offline(page)
    page.context.set_offline(True)
    for text in TYPED:
        type_question(page, text)
    page.locator("[data-outbox-status]").filter(has_text="3").wait_for(timeout=3000)
    items = page.locator("[data-outbox-list] > li")

    items.nth(1).get_by_role("button", name="편집").click()
    editor = items.nth(1).locator(".outbox-editor")
    assert page.evaluate("() => document.activeElement.closest('.outbox-editor') !== null")
    editor.locator("textarea[name=question]").fill("두 번째(고침): 볼륨 데이터는 어디에?")
    editor.locator("textarea[name=answer]").fill("`docker volume inspect`")
    editor.get_by_role("button", name="저장").click()
    items.nth(2).get_by_role("button", name="삭제").click()
    edited = ["두 번째(고침): 볼륨 데이터는 어디에?"]
    assert listed(page) == [TYPED[0], *edited]

    page.reload()
    page.locator("[data-outbox-status]").filter(has_text="2").wait_for(timeout=5000)
    assert listed(page) == [TYPED[0], *edited]
    assert saved_in_order(desk["docker"]) in ([], TYPED[:1])  # see the three-question test

    page.context.set_offline(False)
    assert wait_for_rows(page, 2) == 2
    page.locator("[data-outbox-list]").wait_for(state="hidden", timeout=5000)
    rows = list(Question.objects.order_by("id").values_list("question", "answer", "pending"))
    assert rows == [(TYPED[0], "", True), (*edited, "`docker volume inspect`", False)]
    page.wait_for_timeout(1000)
    assert Question.objects.count() == 2  # the deleted one never arrives


def test_a_refused_question_stays_listed_with_the_servers_message_and_does_not_hold_up_the_others(desk):
    page = desk["page"]
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    page.context.set_offline(True)
    type_question(page, TYPED[0])
    page.locator("#id_section").select_option(str(desk["kubernetes"].pk))
    type_question(page, TYPED[1])
    page.locator("#id_section").select_option(str(desk["docker"].pk))
    type_question(page, TYPED[2])
    desk["kubernetes"].delete()  # a colleague removes the section meanwhile: the server must refuse Q2

    page.context.set_offline(False)
    assert wait_for_rows(page, 2) == 2
    refused = page.locator("[data-outbox-list] > li.is-rejected")
    refused.wait_for(timeout=5000)
    assert refused.locator(".outbox-text").inner_text() == TYPED[1]
    assert refused.locator(".error").inner_text().strip()  # the server's own words
    assert saved_in_order(desk["docker"]) == [TYPED[0], TYPED[2]]
    sent = len(posts)
    page.wait_for_timeout(6000)  # longer than the retry interval: a refusal is not retried
    assert len(posts) == sent
    assert [entry["fields"]["question"] for entry in outbox(page)] == [TYPED[1]]


def test_from_page_load_to_a_logged_question(desk):
    page = desk["page"]
    started = time.monotonic()
    page.reload()
    page.locator("#id_question").click()  # one click to reach the box
    presses = type_question(page, "설치 없이 로그를 보려면?")
    assert wait_for_rows(page, 1) == 1
    elapsed = time.monotonic() - started
    print(f"\npage load → question in the database: {elapsed:.2f} s, 1 click + {presses} key presses "
          f"(first load {desk['loaded']:.2f} s)")
    assert Question.objects.get().question == "설치 없이 로그를 보려면?"


def test_the_offline_copy_of_a_private_page_is_dropped_once_someone_else_uses_the_browser(desk, live_server):
    page = desk["page"]
    wait_until_kept_for_offline(page)
    page.context.clear_cookies()  # signed out (or the session ended): the next page is anyone's
    page.goto(f"{live_server.url}/")
    gone = "() => caches.open('mspt3-offline').then(c => c.keys()).then(keys => keys.length === 0)"
    page.wait_for_function(gone, timeout=5000)
    page.context.set_offline(True)
    with pytest.raises(Exception, match="net::ERR_"):
        page.goto(f"{live_server.url}{desk['cohort'].get_absolute_url()}")
