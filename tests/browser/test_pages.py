"""The student-facing pages in Chromium: strike-through, live updates, search, phones, keyboard."""

import time
from datetime import date

import pytest
from playwright.sync_api import expect

from qa.models import Question
from tests.browser.conftest import log_in, watch_for_errors
from tests.factories import make_cohort, make_progress, make_question, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONG_COMMAND = "kubectl run very-long-pod-name --image=registry.example.com/team/app:" + "1" * 120
LIVE_WAIT_MS = 5000  # the promise: a new question shows within 5 s


@pytest.fixture
def classroom():
    """A public cohort mid-course: chapters 1–5 done, chapter 6 theory done but not its lab,
    two sections with enough questions to scroll, code blocks and a pending answer."""
    cohort = make_cohort("MSP T3 - 브라우저 코호트", starts_on=date(2024, 5, 7), ends_on=date(2024, 5, 9))
    for number in range(1, 6):
        make_progress(cohort, number, theory=True, lab=True)
    make_progress(cohort, 6, theory=True, lab=False)
    docker, kubernetes = make_section(cohort, "Docker"), make_section(cohort, "Kubernetes")
    make_question(docker, "컨테이너 레이어에 로그가 쌓이나요?", "- 네, R/W 레이어에 기록됩니다.")
    make_question(docker, "긴 명령은 어떻게 보이나요?", f"```bash\n{LONG_COMMAND}\n```")
    make_question(docker, "브릿지 개수 제한은?", "- ...")
    for i in range(12):
        make_question(docker, f"도커 질문 {i}?", f"- 답 {i}\n- 두 번째 줄")
    for i in range(12):
        pod = f"```yaml\nkind: Pod\nmetadata:\n  name: p{i}\n```"
        make_question(kubernetes, f"쿠버네티스 질문 {i}?", f"- 답 {i}\n\n{pod}")
    return {"cohort": cohort, "docker": docker, "kubernetes": kubernetes}


def open_cohort(page, live_server, cohort):
    page.goto(live_server.url + cohort.get_absolute_url())
    page.wait_for_load_state("load")


STRUCK = """(cell) => {
  // Is the label text of this table cell drawn struck through? Walk up from the
  // element that holds the text to the cell, as the renderer propagates decorations.
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT,
    { acceptNode: (n) => n.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT });
  let el = walker.nextNode().parentElement;
  for (; el && el !== cell.parentElement; el = el.parentElement) {
    if (getComputedStyle(el).textDecorationLine.includes("line-through")) return true;
  }
  return false;
}"""


def test_completed_chapters_are_visibly_struck_through_and_the_others_are_not(page, live_server, classroom):
    open_cohort(page, live_server, classroom["cohort"])

    def struck(number, part):
        return page.locator(f"#chapter-{number} td.{part}").evaluate(STRUCK)

    assert all(struck(n, "theory") for n in range(1, 7))
    assert all(struck(n, "lab") for n in (2, 3, 4))
    assert not struck(6, "lab")  # chapter 6's lab (hands-on 05) is not done yet
    assert not any(struck(n, part) for n in range(7, 16) for part in ("theory", "lab"))
    assert page.locator("#curriculum-progress").get_attribute("value") == "6"


def test_a_question_created_while_the_page_is_open_appears_without_reload_keeping_scroll_and_selection(
    page, live_server, classroom
):
    open_cohort(page, live_server, classroom["cohort"])
    page.evaluate("window.notReloaded = true")
    reading = Question.objects.filter(section=classroom["kubernetes"]).order_by("position")[5]
    target = page.locator(f"#q-{reading.pk} .question-text p")
    target.evaluate("(el) => el.scrollIntoView({block: 'center'})")
    target.evaluate("""(el) => { const range = document.createRange(); range.selectNodeContents(el);
                                 const s = getSelection(); s.removeAllRanges(); s.addRange(range); }""")
    before = target.evaluate("(el) => el.getBoundingClientRect().top")
    scroll_before = page.evaluate("window.scrollY")

    started = time.monotonic()
    new = make_question(classroom["docker"], "새로 올라온 질문: 볼륨은 언제 지워지나요?", "- `docker rm -v`")
    page.wait_for_selector(f"#q-{new.pk}", timeout=LIVE_WAIT_MS)
    delay = time.monotonic() - started
    print(f"\nlive update: question visible {delay:.2f} s after it was saved")

    assert page.evaluate("window.notReloaded") is True
    assert page.locator(f"#q-{new.pk}").inner_text().startswith("새로 올라온 질문")
    # The question went in above the reader: the page scrolled by its height, so what
    # the reader was looking at stays exactly where it was, still selected.
    assert abs(target.evaluate("(el) => el.getBoundingClientRect().top") - before) < 2
    assert page.evaluate("window.scrollY") > scroll_before
    assert page.evaluate("getSelection().toString()") == f"{reading.question}"


def test_a_filled_answer_replaces_only_its_question(page, live_server, classroom):
    open_cohort(page, live_server, classroom["cohort"])
    pending = Question.objects.get(question="브릿지 개수 제한은?")
    neighbour = Question.objects.get(question="도커 질문 0?")
    page.evaluate(f"window.keptNode = document.getElementById('q-{neighbour.pk}')")
    assert page.locator(f"#q-{pending.pk} .badge-pending").count() == 1

    pending.answer = "- 기본 설정에서는 사실상 제한이 없습니다."
    pending.save()

    page.wait_for_selector(f"#q-{pending.pk} .answer", timeout=LIVE_WAIT_MS)
    assert page.locator(f"#q-{pending.pk} .badge-pending").count() == 0
    assert page.evaluate(f"window.keptNode === document.getElementById('q-{neighbour.pk}')")


def test_search_from_the_page_finds_a_korean_phrase(page, live_server, classroom):
    open_cohort(page, live_server, classroom["cohort"])
    page.fill("#site-search-q", "레이어 로그")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/?q=*")

    results = page.locator(".search-result")
    assert results.count() == 1
    assert results.first.locator("mark").all_inner_texts() == ["레이어", "로그", "레이어"]
    results.first.locator("h2 a").click()
    page.wait_for_url("**/cohorts/**#q-*")


@pytest.mark.parametrize("path", ["cohort", "/", "/chapters/6/", "/search/?q=질문"])
def test_a_375px_phone_never_scrolls_sideways(chromium, live_server, classroom, path):
    context = chromium.new_context(locale="ko-KR", viewport={"width": 375, "height": 812}, is_mobile=True)
    phone = context.new_page()
    url = classroom["cohort"].get_absolute_url() if path == "cohort" else path
    phone.goto(live_server.url + url)
    widths = phone.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert widths[0] <= widths[1], f"page is {widths[0]} px wide in a {widths[1]} px viewport"


def test_every_code_block_gets_a_copy_button_that_copies_its_code(chromium, live_server, classroom):
    context = chromium.new_context(locale="ko-KR")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    open_cohort(page, live_server, classroom["cohort"])

    assert page.locator(".answer pre").count() == 13
    assert page.locator(".code-block > button.copy-code").count() == 13
    long_block = page.locator(".code-block", has_text="very-long-pod-name")
    long_block.locator("button.copy-code").click()
    expect(long_block.locator("button.copy-code")).to_have_text("복사됨")
    assert page.evaluate("navigator.clipboard.readText()").strip() == LONG_COMMAND
    context.close()


def test_copy_link_copies_the_questions_permalink(chromium, live_server, classroom):
    context = chromium.new_context(locale="ko-KR")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    open_cohort(page, live_server, classroom["cohort"])
    question = Question.objects.get(question="브릿지 개수 제한은?")

    page.locator(f"#q-{question.pk} button.copy-link").click()
    expect(page.locator(f"#q-{question.pk} button.copy-link")).to_have_text("복사됨")
    assert page.evaluate("navigator.clipboard.readText()") == live_server.url + question.get_absolute_url()
    context.close()


def test_the_skip_link_is_the_first_tab_stop_and_focus_is_visible(page, live_server, classroom):
    open_cohort(page, live_server, classroom["cohort"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_switching_to_english_translates_the_page_and_its_dates(page, live_server, classroom):
    open_cohort(page, live_server, classroom["cohort"])
    assert page.locator("#curriculum-heading").inner_text() == "커리큘럼"
    page.click("form.language button[value='en']")
    page.wait_for_load_state("load")
    assert page.locator("#curriculum-heading").inner_text() == "Curriculum"
    assert "May 7, 2024" in page.locator(".cohort-facts").inner_text()


def test_an_instructors_unchanged_questions_are_kept_when_another_question_arrives(
    chromium, live_server, classroom
):
    teacher = make_user("teacher")
    classroom["cohort"].memberships.create(user=teacher, role="instructor")
    context = chromium.new_context(locale="ko-KR")
    log_in(context, teacher, live_server)
    page = context.new_page()
    errors = watch_for_errors(page)
    open_cohort(page, live_server, classroom["cohort"])
    neighbour = Question.objects.get(question="도커 질문 0?")
    # Their tools carry CSRF tokens that differ in every rendering; that alone is no change.
    page.evaluate(f"window.keptNode = document.getElementById('q-{neighbour.pk}')")

    new = make_question(classroom["docker"], "강사 화면에도 보이나요?")
    page.wait_for_selector(f"#q-{new.pk}", timeout=LIVE_WAIT_MS)

    assert page.evaluate(f"window.keptNode === document.getElementById('q-{neighbour.pk}')")
    context.close()
    assert errors == []


BARS_BESIDE = """(quote) => {
  // Every element from the quote up to its flow block that draws a bar on its left.
  const bars = [];
  for (let el = quote; el && !el.classList.contains("flow-block"); el = el.parentElement) {
    if (parseFloat(getComputedStyle(el).borderLeftWidth) > 0) bars.push(el.tagName);
  }
  const block = quote.closest(".flow-block");
  if (parseFloat(getComputedStyle(block).borderLeftWidth) > 0) bars.push(block.tagName);
  return bars;
}"""


def test_a_quote_in_the_notes_shows_one_bar_as_on_github(page, live_server):
    """The demo's opening quote once had two bars: its own and the verbatim block's."""
    from pathlib import Path

    from notes.importer import import_notes_text

    demo = Path(__file__).resolve().parents[2] / "demo"
    report = import_notes_text((demo / "mspt3-demo.md").read_text(encoding="utf-8"), base_dir=demo)
    page.goto(live_server.url + report.cohort.get_absolute_url())
    quote = page.locator(".notes-verbatim blockquote").first
    expect(quote).to_be_visible()
    assert quote.evaluate(BARS_BESIDE) == ["BLOCKQUOTE"]
