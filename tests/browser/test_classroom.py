"""The classroom in Chromium: the quick entry within reach (N), where a question goes shown before
Enter and confirmed after it, the instructor's section choice sticking, layout that fits its box at
1280 and 375 px with the navigation on one line, and a live status that ages and catches up at once."""

import time

import pytest
from django.utils import timezone

from qa.models import Question
from tests.factories import make_cohort, make_question, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STATEFULSET = "StatefulSet과 Deployment의 차이는 무엇인가요? (CH08)"


@pytest.fixture
def running_class(logged_in_context, live_server):
    """Day 1 of a running class (Docker on the schedule), a long page the instructor reads."""
    teacher, learner = make_user("teacher"), make_user("learner")
    today = timezone.localdate()
    cohort = make_cohort(
        "MSP T3 - 수업 중", public=False, instructors=[teacher], students=[learner], starts_on=today, ends_on=today
    )
    docker = make_section(cohort, "Docker")
    for i in range(25):
        make_question(docker, f"도커 질문 {i}?", f"- 답 {i}\n- 두 번째 줄\n\n```bash\ndocker run app{i}\n```")
    return {"cohort": cohort, "docker": docker, "teacher": teacher, "learner": learner,
            "url": f"{live_server.url}{cohort.get_absolute_url()}"}


def instructor_page(logged_in_context, running_class, width=1280):
    page = logged_in_context(running_class["teacher"]).new_page()
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(running_class["url"])
    return page, problems


def test_reading_to_a_logged_question_with_n_its_placement_shown_before_enter(logged_in_context, running_class):
    page, problems = instructor_page(logged_in_context, running_class)
    page.mouse.wheel(0, 4000)  # reading the Q&A, the form far above
    page.wait_for_timeout(300)
    jump = page.locator("[data-quick-entry-jump]")
    assert jump.is_visible()  # the floating button, while the form is off screen
    keys = 0
    started = time.monotonic()
    page.keyboard.press("n")
    keys += 1
    assert page.evaluate("() => document.activeElement.id") == "id_question"
    page.keyboard.type(STATEFULSET)
    keys += len(STATEFULSET)
    # Before Enter: the form says where it will go, although the schedule says Docker today.
    placement = page.locator("[data-placement]")
    placement.filter(has_text="Kubernetes").wait_for(timeout=3000)
    assert "CH08" in placement.inner_text()
    page.keyboard.press("Enter")
    keys += 1
    note = page.locator("[data-saved-note]")
    note.filter(has_text="Kubernetes").wait_for(timeout=5000)
    seconds = time.monotonic() - started
    question = Question.objects.get(question=STATEFULSET)
    assert (question.section.title, question.chapter.number) == ("Kubernetes", 8)
    assert "CH08" in note.inner_text()
    print(f"\nreading → logged question: {keys} keystrokes ({keys - len(STATEFULSET)} besides the text), "
          f"{seconds:.2f} s including typing {len(STATEFULSET)} characters")
    # "Show it" scrolls to the question (its section arrives with the live poll).
    page.locator(f"#q-{question.pk}").wait_for(timeout=5000)
    page.locator("[data-saved-link]").click()
    page.wait_for_timeout(300)
    box = page.locator(f"#q-{question.pk}").bounding_box()
    assert 0 <= box["y"] < 900
    assert problems == []


def test_the_instructors_explicit_section_sticks_for_the_next_question(logged_in_context, running_class):
    page, problems = instructor_page(logged_in_context, running_class)
    docker = running_class["docker"]
    page.locator("#id_section").select_option(str(docker.pk))
    box = page.locator("#id_question")
    for text in ("Deployment 롤백은? (CH08)", "그다음 질문"):
        box.fill(text)
        page.locator("[data-placement]").filter(has_text="Docker").wait_for(timeout=3000)
        box.press("Enter")
        page.locator("[data-saved-note]").filter(has_text="Docker").wait_for(timeout=5000)
        page.locator("[data-saved-note]").evaluate("node => { node.hidden = true; node.textContent = ''; }")
    assert list(Question.objects.filter(section=docker).order_by("-pk").values_list("question", flat=True)[:2]) == [
        "그다음 질문", "Deployment 롤백은? (CH08)"]
    assert page.locator("#id_section").input_value() == str(docker.pk)
    assert problems == []


def test_n_in_a_text_field_is_just_a_letter(logged_in_context, running_class):
    page, _problems = instructor_page(logged_in_context, running_class)
    search = page.locator("#site-search-q")
    search.click()
    page.keyboard.type("nginx")
    assert search.input_value() == "nginx"
    assert page.evaluate("() => document.activeElement.id") == "site-search-q"


# --- Layout ----------------------------------------------------------------------------------------

# Every element whose content spills out of its box (overflow visible), and scroll boxes that
# scroll although they need not (``fit`` selectors: must fit at this width).
SPILLS = """(fit) => {
  const bad = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + el.getAttribute("class");
  if (document.documentElement.scrollWidth > window.innerWidth) bad.push("page scrolls sideways");
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (style.display === "inline" || style.display === "none") continue;
    if (el.closest("[hidden], dialog:not([open])")) continue;
    const spills = el.scrollWidth > el.clientWidth + 1;
    if (style.overflowX === "visible" && spills) bad.push(name(el) + " " + el.scrollWidth + ">" + el.clientWidth);
  }
  for (const el of document.querySelectorAll(fit)) {
    if (el.scrollWidth > el.clientWidth + 1) bad.push("needs scrolling: " + name(el));
  }
  return bad;
}"""

ONE_LINE = """() => {
  const items = [...document.querySelectorAll(".site-nav > *, .account-nav > *")].filter(el => el.offsetParent);
  const tops = items.map(el => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2));
  return Math.max(...tops) - Math.min(...tops);
}"""


@pytest.mark.parametrize("width", [1280, 375])
def test_pages_fit_their_boxes_and_the_nav_is_one_line(logged_in_context, running_class, live_server, width):
    from curriculum.models import Chapter
    from tests.factories import make_progress

    make_progress(running_class["cohort"], 14, theory=True, lab=True)  # the ✓ that was cut off
    make_question(running_class["docker"], "아직 답 없는 질문?", "...", chapter=Chapter.objects.get(number=3))
    pages = {
        "teacher": ["/", "/search/?q=도커", running_class["cohort"].get_absolute_url(), "/pending/"],
        "learner": ["/", running_class["cohort"].get_absolute_url()],
    }
    for who, paths in pages.items():
        page = logged_in_context(running_class[who]).new_page()
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            page.goto(live_server.url + path)
            page.wait_for_load_state("load")
            fit = ".table-scroll" if width == 1280 else "body"
            assert page.evaluate(SPILLS, fit) == [], (who, path, width)
            if width == 1280:
                assert page.evaluate(ONE_LINE) <= 4, (who, path)
            if width == 1280 and who == "teacher" and path == running_class["cohort"].get_absolute_url():
                cell = page.locator("#chapter-14 td.lab button").bounding_box()
                table = page.locator(".table-scroll").bounding_box()
                assert cell["x"] + cell["width"] <= table["x"] + table["width"]


# --- Live status -----------------------------------------------------------------------------------


def test_updated_ages_and_a_network_drop_is_caught_up_at_once(logged_in_context, running_class):
    student = logged_in_context(running_class["learner"]).new_page()
    student.clock.install()
    student.goto(running_class["url"])
    make_question(running_class["docker"], "새 질문 하나?", "- 답")
    student.clock.run_for(2500)
    student.locator(".question", has_text="새 질문 하나?").wait_for(timeout=5000)
    status = student.locator("[data-live-status]")
    first = status.inner_text()
    student.clock.run_for(70_000)
    later = status.inner_text()
    assert (first, later) == ("업데이트 지금", "업데이트 1분 전")  # not "just now" forever

    # A network drop long enough for the back-off to grow to its ceiling (15 s) …
    student.context.set_offline(True)
    student.clock.run_for(40_000)
    status.filter(has_text="연결").wait_for(timeout=3000)
    make_question(running_class["docker"], "끊긴 사이의 질문?", "- 답")
    # … then back: the page asks at once instead of waiting out the back-off.
    started = time.monotonic()
    student.context.set_offline(False)
    student.clock.run_for(50)
    student.locator(".question", has_text="끊긴 사이의 질문?").wait_for(timeout=3000)
    print(f"\nback online → caught up in {time.monotonic() - started:.2f} s")
    assert "연결" not in status.inner_text()


# --- Images pasted and dropped ---------------------------------------------------------------------

PASTE_PNG = """([selector, b64, kind]) => {
  const box = document.querySelector(selector);
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "shot.png", { type: "image/png" }));
  box.focus();
  const event = kind === "drop"
    ? new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true })
    : new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true });
  box.dispatchEvent(event);
}"""


def png_base64():
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def test_an_image_pasted_mid_bullet_gets_its_own_line_inside_the_item(logged_in_context, running_class, settings,
                                                                      tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page, problems = instructor_page(logged_in_context, running_class)
    page.locator(".quick-entry-answer summary").click()
    answer = page.locator("#id_answer")
    answer.fill("- 첫 번째 답\n- 둘째")
    answer.evaluate("box => box.setSelectionRange(4, 4)")  # the cursor inside the first bullet's text
    page.evaluate(PASTE_PNG, ["#id_answer", png_base64(), "paste"])
    page.wait_for_function("() => document.querySelector('#id_answer').value.includes('![](')", timeout=5000)
    lines = answer.input_value().split("\n")
    assert lines[0] == "- 첫 번째 답" and lines[2] == "- 둘째", lines
    assert lines[1].startswith("  ![](/media/markdownx/") and lines[1].endswith(".png)"), lines
    page.locator("#id_question").fill("화면 캡처는?")
    page.locator("#id_question").press("Enter")
    page.locator("[data-saved-note]:not([hidden])").wait_for(timeout=5000)
    question = Question.objects.get(question="화면 캡처는?")
    assert question.answer_html.count("<li>") == 2 and "<img" in question.answer_html
    assert problems == []


def test_an_image_dropped_in_the_pending_queue_and_a_refused_file_says_why(logged_in_context, running_class,
                                                                         live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pending = make_question(running_class["docker"], "아직 답 없는 질문?", "- ...")
    page = logged_in_context(running_class["teacher"]).new_page()
    page.goto(live_server.url + "/pending/")
    box = f"#q{pending.pk}-answer"
    assert page.locator(box).input_value() == ""  # not prefilled with "- ..."
    page.evaluate(PASTE_PNG, [box, png_base64(), "drop"])
    page.wait_for_function(f"() => document.querySelector('{box}').value.startsWith('![](/media/')", timeout=5000)
    page.evaluate(PASTE_PNG, [box, "PHN2Zz48L3N2Zz4=", "paste"])  # "<svg></svg>" named shot.png
    page.locator("[data-image-error]").wait_for(timeout=5000)
    assert page.locator(box).input_value().count("![](") == 1
    assert len(list(tmp_path.rglob("*.png"))) == 1


def test_a_huge_question_is_refused_with_the_servers_limit_and_size(logged_in_context, running_class):
    page, problems = instructor_page(logged_in_context, running_class)
    box = page.locator("#id_question")
    box.evaluate("box => { box.value = '가'.repeat(700000); }")  # 6.3 MB once form-encoded
    box.press("End")
    box.press("Enter")
    refused = page.locator(".outbox-item.is-rejected .error")
    refused.wait_for(timeout=10000)
    text = refused.inner_text()
    assert "6.0" in text and "5.0" in text and "2,000" in text, text  # not just "Refused by the server."
    assert not Question.objects.filter(question__startswith="가가가").exists()
    assert problems == []
