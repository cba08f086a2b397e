"""The instructor's admin in Chromium: an instructor who is not staff signs in to /admin/, logs a
pending question in their cohort with the markdownx editor (secured preview, image paste), finds
it under the pending filter, and cannot open another cohort's question. The pages fit a phone."""

import os
from pathlib import Path

import pytest

from qa.models import Question
from tests.browser.test_classroom import PASTE_PNG, png_base64
from tests.factories import make_cohort, make_question, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "pw-for-tests-only"


@pytest.fixture
def teaching_admin(chromium, live_server):
    teacher = make_user("admin-teacher")
    cohort = make_cohort("MSP T3 - 어드민 반", public=False, instructors=[teacher])
    section = make_section(cohort, "Kubernetes")
    other = make_cohort("MSP T3 - 남의 반", public=False, instructors=[make_user("admin-other")])
    foreign = make_question(make_section(other, "Docker"), "남의 반 질문", "...")
    return {"teacher": teacher, "cohort": cohort, "section": section, "foreign": foreign}


def sign_in(chromium, live_server, locale="ko-KR", width=1280):
    context = chromium.new_context(locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "admin-teacher")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    return page, errors


def test_an_instructor_logs_a_pending_question_in_the_admin_and_finds_it_under_pending(
    chromium, live_server, teaching_admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    page, errors = sign_in(chromium, live_server)
    assert page.locator("#content-main .app-auth, #content-main .app-courses").count() == 0
    page.locator("#content-main .model-question a.addlink").click()
    page.wait_for_url("**/admin/qa/question/add/")
    # The section picker (select2 over the section admin) offers this cohort's sections only.
    page.locator("#id_section + .select2 .select2-selection").click()
    options = page.locator(".select2-results__option:not(.loading-results)")
    options.first.wait_for(timeout=5000)
    assert options.all_inner_texts() == ["MSP T3 - 어드민 반 · Kubernetes"]
    options.first.click()
    page.fill("#id_question", "StatefulSet과 Deployment의 차이는? (CH08)")
    answer = page.locator("#id_answer")
    answer.fill("**미리보기**")
    page.locator(".markdownx-preview strong", has_text="미리보기").wait_for(timeout=5000)  # the secured preview
    page.evaluate(PASTE_PNG, ["#id_answer", png_base64(), "paste"])
    page.wait_for_function("() => document.querySelector('#id_answer').value.includes('![](/media/markdownx/')",
                           timeout=5000)
    answer.fill("...")  # pending: to be answered after class
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/qa/question/")
    question = Question.objects.get(question="StatefulSet과 Deployment의 차이는? (CH08)")
    assert (question.section, question.pending, question.author, question.chapter.number) == (
        teaching_admin["section"], True, teaching_admin["teacher"], 8)

    page.locator("#changelist-filter a[href*='pending__exact=1']").click()
    page.wait_for_url("**pending__exact=1**")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1 and "StatefulSet" in rows.first.inner_text()
    assert "남의 반" not in page.content()

    # On the stored question, a pasted image goes to the cohort's upload (the policy's write check).
    rows.first.locator("a").first.click()
    page.wait_for_url(f"**/admin/qa/question/{question.pk}/change/**")  # keeps the filter in its query
    with page.expect_response(lambda r: r.url.endswith("/images/") and r.request.method == "POST") as sent:
        page.evaluate(PASTE_PNG, ["#id_answer", png_base64(), "paste"])
    assert sent.value.status == 201
    page.wait_for_function("() => document.querySelector('#id_answer').value.includes('![](/media/markdownx/')",
                           timeout=5000)

    foreign = page.goto(f"{live_server.url}/admin/qa/question/{teaching_admin['foreign'].pk}/change/")
    assert foreign.status == 404
    assert "남의 반 질문" not in page.content()
    errors = [e for e in errors if "404" not in e]  # the refused page's own console line
    assert errors == []
    page.context.close()


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
@pytest.mark.parametrize("width", [1280, 375])
def test_the_instructors_admin_pages_fit_the_screen(chromium, live_server, teaching_admin, locale, width, tmp_path):
    title = "`kubectl rollout undo` 후 이전 ReplicaSet은 어떻게 되나요? 긴 제목이 버튼 밑으로 가지 않게 (CH09)"
    question = make_question(teaching_admin["section"], title, "- 남아 있습니다\n- `--to-revision`")
    page, errors = sign_in(chromium, live_server, locale, width)
    shots = Path(os.environ.get("MSPT3_SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    for name, path in [("index", "/admin/"), ("question", f"/admin/qa/question/{question.pk}/change/")]:
        response = page.goto(live_server.url + path)
        assert response.status == 200
        page.screenshot(path=str(shots / f"admin-{name}-{locale[:2]}-{width}.png"), full_page=True)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow)
    assert errors == []
    page.context.close()
