"""Hostile input and load (issue 12): no request can stall the class, bypass a limit or
serve stale content. Each test reproduces one probe of the running site."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from notes.importer import import_notes_text
from notes.parser import NotesError
from qa.models import Question, SectionExtra
from tests.factories import make_question

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}

# Far past anything the real notes do (they nest block quotes and lists 4 deep), and
# cheap enough to render that the old code accepted them at once.
DEEP_QUOTE = ">" * 200 + " x"
DEEP_LIST = "".join("  " * level + "- x\n" for level in range(200))
HUGE = "가" * 200_000


def _snapshot():
    return list(Question.objects.order_by("pk").values_list("pk", "question", "answer", "answer_html", "revision"))


# --- 1. Rendering cost is bounded on every write path -----------------------------------------


@pytest.mark.parametrize("answer,named", [(DEEP_QUOTE, "16 levels"), (DEEP_LIST, "16 levels"),
                                          (HUGE, "200,000 characters")])
def test_quick_entry_refuses_a_costly_answer_naming_the_limit(teaching, cohort, section, answer, named):
    before = _snapshot()
    response = teaching.post(
        reverse("question-create", args=[cohort.slug]),
        {"question": "깊은 인용?", "answer": answer, "section": str(section.pk)},
        **FETCH,
    )
    assert response.status_code == 400
    assert named in response.content.decode()
    assert _snapshot() == before


def test_quick_entry_refuses_a_costly_question(teaching, cohort, section):
    response = teaching.post(
        reverse("question-create", args=[cohort.slug]),
        {"question": "질문" * 1_500, "answer": "", "section": str(section.pk)},
        **FETCH,
    )
    assert response.status_code == 400
    assert "3,000 characters long; the limit is 2,000 characters" in response.content.decode()
    assert not Question.objects.exists()


def test_the_edit_form_refuses_a_deep_answer_and_keeps_the_stored_one(teaching, section):
    question = make_question(section, "질문?", "원래 답")
    before = _snapshot()
    response = teaching.post(
        reverse("question-edit", args=[question.pk]),
        {"question": "질문?", "answer": DEEP_QUOTE, "revision": question.revision},
        **FETCH,
    )
    assert response.status_code == 400 and "16 levels" in response.content.decode()
    assert _snapshot() == before


def test_the_api_refuses_costly_markdown_with_a_400_naming_the_limit(client, instructor, cohort, section):
    client.force_login(instructor)
    question = make_question(section, "질문?", "원래 답")
    before = _snapshot()
    created = client.post(
        "/api/questions/",
        {"cohort": cohort.slug, "section": section.pk, "question": "q", "answer": DEEP_LIST},
        content_type="application/json",
    )
    assert created.status_code == 400 and "16 levels" in str(created.json()["answer"])
    patched = client.patch(
        f"/api/questions/{question.pk}/", {"question": DEEP_QUOTE}, content_type="application/json"
    )
    assert patched.status_code == 400 and "16 levels" in str(patched.json()["question"])
    assert _snapshot() == before


def test_the_admin_refuses_a_deep_answer_with_a_form_error(client, staff, section):
    client.force_login(staff)
    question = make_question(section, "질문?", "원래 답")
    before = _snapshot()
    response = client.post(
        reverse("admin:qa_question_change", args=[question.pk]),
        {"section": section.pk, "position": question.position, "question": question.question,
         "answer": DEEP_QUOTE, "chapter": "", "author": "", "loaded_revision": question.revision},
    )
    assert response.status_code == 200 and "16 levels" in response.content.decode()
    assert _snapshot() == before


def test_the_markdown_preview_refuses_costly_content(teaching):
    response = teaching.post("/markdownx/markdownify/", {"content": "x" * 120_000})
    assert response.status_code == 400 and "120,000 characters" in response.content.decode()
    response = teaching.post("/markdownx/markdownify/", {"content": DEEP_QUOTE})
    assert response.status_code == 400 and "16 levels" in response.content.decode()


NOTES_WITH_A_DEEP_BLOCK = "# MSP T3 - 깊은 노트\n\n## Docker\n\n- 질문?\n  - 답\n- 둘째?\n\n" + DEEP_QUOTE + "\n"


@pytest.mark.parametrize("dry_run", [False, True])
def test_the_importer_refuses_a_deep_block_naming_its_line(dry_run):
    with pytest.raises(NotesError) as refused:
        import_notes_text(NOTES_WITH_A_DEEP_BLOCK, dry_run=dry_run)
    assert "line 9:" in str(refused.value) and "\n" not in str(refused.value)
    assert not Question.objects.exists()


def test_a_wide_table_is_refused_before_it_is_rendered(teaching, cohort, section):
    table = "|" + "a|" * 5000 + "\n|" + "-|" * 5000 + "\n" + "|b|\n" * 100
    response = teaching.post(
        reverse("question-create", args=[cohort.slug]),
        {"question": "표?", "answer": table, "section": str(section.pk)},
        **FETCH,
    )
    assert response.status_code == 400 and "5,000 columns" in response.content.decode()


# --- 1. …and rendered before any write transaction opens ---------------------------------------


@pytest.fixture
def renders(monkeypatch):
    """Every markdown text the real renderer turns into HTML (render_markdown's first
    step), with whether a transaction was open at the time. The test's own wrapping
    transaction (pytest-django) does not count."""
    import mspt3.markdown

    calls = []
    real = mspt3.markdown.github_html

    def observed(text, *args, **kwargs):
        in_transaction = any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)
        calls.append((text, in_transaction))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(mspt3.markdown, "github_html", observed)
    return calls


def _assert_rendered_outside_transactions(calls, *texts):
    rendered = {text for text, _ in calls}
    assert set(texts) <= rendered, "the texts were not rendered at all"
    assert [text for text, inside in calls if inside] == []


def test_quick_entry_renders_before_its_transaction(teaching, cohort, section, renders):
    response = teaching.post(
        reverse("question-create", args=[cohort.slug]),
        {"question": "새 질문 **굵게**?", "answer": "새 답 `code`", "section": str(section.pk)},
        **FETCH,
    )
    assert response.status_code == 201
    _assert_rendered_outside_transactions(renders, "새 질문 **굵게**?", "새 답 `code`")


def test_site_edits_render_before_their_transaction(teaching, section, renders):
    question = make_question(section, "질문?", "답")
    renders.clear()
    response = teaching.post(
        reverse("question-answer", args=[question.pk]), {"answer": "고친 답 *기울임*", "revision": question.revision},
        **FETCH,
    )
    assert response.status_code == 200
    _assert_rendered_outside_transactions(renders, "고친 답 *기울임*")


def test_api_writes_render_before_their_transaction(client, instructor, cohort, section, renders):
    client.force_login(instructor)
    created = client.post(
        "/api/questions/",
        {"cohort": cohort.slug, "section": "새 섹션", "question": "API 질문?", "answer": "API 답"},
        content_type="application/json",
    )
    assert created.status_code == 201
    question_id = created.json()["id"]
    patched = client.patch(f"/api/questions/{question_id}/", {"answer": "API 고친 답"}, content_type="application/json")
    assert patched.status_code == 200
    checked = client.patch(
        f"/api/questions/{question_id}/", {"answer": "If-Match 답"}, content_type="application/json",
        HTTP_IF_MATCH=patched["ETag"],
    )
    assert checked.status_code == 200
    _assert_rendered_outside_transactions(renders, "API 질문?", "API 답", "API 고친 답", "If-Match 답")


def test_admin_saves_render_before_their_transaction(client, staff, section, renders):
    client.force_login(staff)
    question = make_question(section, "질문?", "답")
    extra = SectionExtra.objects.create(section=section, position=9, source="요약 보드")
    renders.clear()
    changed = client.post(
        reverse("admin:qa_question_change", args=[question.pk]),
        {"section": section.pk, "position": question.position, "question": "관리자 질문?", "answer": "관리자 답",
         "chapter": "", "author": "", "loaded_revision": question.revision},
    )
    assert changed.status_code == 302
    inline = {
        "cohort": section.cohort_id, "title": section.title, "heading": section.heading, "position": section.position,
        "questions-TOTAL_FORMS": 1, "questions-INITIAL_FORMS": 1, "questions-0-id": question.pk,
        "questions-0-section": section.pk, "questions-0-position": 1, "questions-0-question": "인라인 질문?",
        "questions-0-answer": "인라인 답", "questions-0-chapter": "",
        "extras-TOTAL_FORMS": 1, "extras-INITIAL_FORMS": 1, "extras-0-id": extra.pk, "extras-0-section": section.pk,
        "extras-0-kind": "text", "extras-0-position": 9, "extras-0-source": "고친 요약 보드",
    }
    saved = client.post(reverse("admin:qa_section_change", args=[section.pk]), inline)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert Question.objects.get(pk=question.pk).question == "인라인 질문?"
    _assert_rendered_outside_transactions(
        renders, "관리자 질문?", "관리자 답", "인라인 질문?", "인라인 답", "고친 요약 보드"
    )


# --- 6. Bad queries are a 400, not an outage ------------------------------------------------------

THOUSANDS_OF_WORDS = " ".join(f"w{n}" for n in range(1_300))


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_search_of_thousands_of_words_is_a_400_with_a_clear_message(client, student, cohort, signed_in):
    if signed_in:
        client.force_login(student)
    response = client.get("/search/", {"q": THOUSANDS_OF_WORDS}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Retry-After" not in response
    assert "at most 20 words and 200 characters; this one has 1300 words" in response.content.decode()


def test_a_search_at_the_limits_still_runs(client, section):
    make_question(section, "w1 w2 질문", "")
    response = client.get("/search/", {"q": " ".join(["w1"] * 20)})
    assert response.status_code == 200 and "질문" in response.content.decode()
    assert response.context["page"].paginator.count == 1


def test_the_api_search_caps_words_as_well_as_characters(client, section):
    response = client.get("/api/questions/", {"search": " ".join("ab" for _ in range(60))})
    assert response.status_code == 400 and "At most 20 words" in str(response.json()["search"])


def _real_error(*statements):
    from django.db import OperationalError, transaction

    with pytest.raises(OperationalError) as raised, transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    return raised.value


def test_a_failing_query_is_not_classified_as_an_outage(rf):
    """A real error of one query (SQLite: an expression tree too large; PostgreSQL: a
    cancelled statement) is not "database unavailable"; a vanished server is."""
    from mspt3.middleware import DatabaseUnavailableMiddleware

    if connection.vendor == "sqlite":
        error = _real_error("SELECT 1 WHERE " + " OR ".join(["1=1"] * 1_300))
    else:
        error = _real_error("SET LOCAL statement_timeout = 1", "SELECT pg_sleep(1)")
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    assert middleware.process_exception(rf.get("/search/"), error) is None


# --- 3. The login limit cannot be walked around ----------------------------------------------------

LOOK_ALIKES = [
    "ｓtu_a", "𝐬tu_a", "ⓢtu_a", "𝑠tu_a", "𝒔tu_a", "𝓈tu_a", "𝔰tu_a", "𝕤tu_a", "𝖘tu_a", "𝗌tu_a",
    "𝘀tu_a", "𝘴tu_a", "𝙨tu_a", "𝚜tu_a",
]
PASSWORD = "pw-for-tests-only"


def _sign_in(client, username, password, path="/accounts/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3")


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_look_alike_spellings_of_a_locked_out_name_get_no_more_guesses(client, path):
    from tests.factories import make_user

    make_user("stu_a", staff=True)
    for _ in range(5):
        assert _sign_in(client, "stu_a", "wrong", path).status_code == 200
    for spelling in LOOK_ALIKES:
        assert _sign_in(client, spelling, "wrong", path).status_code == 429, spelling
    # The form would sign this spelling in as stu_a: it is the same locked-out account.
    assert _sign_in(client, "ｓtu_ａ", PASSWORD, path).status_code == 429
    assert "_auth_user_id" not in client.session


def test_page_traffic_cannot_evict_a_lockout(client):
    from tests.factories import make_cohort, make_user

    make_user("stu_a")
    make_cohort("공개", public=True)
    for _ in range(5):
        _sign_in(client, "stu_a", "wrong")
    visitor = client.__class__()
    for n in range(400):
        assert visitor.get("/search/", {"q": f"w{n}"}).status_code == 200
    assert _sign_in(client, "stu_a", PASSWORD).status_code == 429


def test_four_gunicorn_workers_share_one_count(tmp_path):
    from tests.security.served import ServedSite

    site = ServedSite(
        tmp_path, "login", workers=4,
        setup="from tests.factories import make_user; make_user('stu_a')",
    )
    try:
        statuses = []
        for _ in range(40):
            cookies, token = site.form_token("/accounts/login/")
            status, _headers, _body = site.request(
                "POST", "/accounts/login/",
                form={"username": "stu_a", "password": "wrong", "csrfmiddlewaretoken": token},
                headers={"Cookie": cookies},
            )
            statuses.append(status)
        assert statuses.count(200) == 5 and statuses.count(429) == 35
        cookies, token = site.form_token("/accounts/login/")
        status, _headers, _body = site.request(
            "POST", "/accounts/login/",
            form={"username": "ｓtu_ａ", "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Cookie": cookies},
        )
        assert status == 429
    finally:
        site.stop()


# --- 5. Caches cannot be grown or poisoned from outside ---------------------------------------------


def _cached_entries():
    """Entries held by every cache alias of this process (LocMem's own storage)."""
    from django.core.cache import caches

    return sum(len(getattr(cache, "_cache", ())) for cache in caches.all())


def test_query_parameters_do_not_multiply_the_cached_page(client, cohort, section):
    make_question(section, "질문?", "답")
    path = reverse("cohort", args=[cohort.slug])
    client.get(path)
    once = _cached_entries()
    for n in range(300):
        assert client.get(path, {"v": n}).status_code == 200
    assert _cached_entries() == once


def test_a_query_parameter_is_not_echoed_into_the_shared_page(client, cohort):
    path = reverse("cohort", args=[cohort.slug])
    client.get(path, {"next": "https://evil.example/"})
    assert "evil.example" not in Client().get(path).content.decode()


def test_search_pages_are_cached_per_search_not_per_junk_parameter(client, section):
    make_question(section, "볼륨 질문?", "답")
    first = client.get("/search/", {"q": "볼륨"}).content.decode()
    entries = _cached_entries()
    for n in range(50):
        page = client.get("/search/", {"q": "볼륨", "utm": n}).content.decode()
        assert "utm" not in page
    assert _cached_entries() == entries and "질문?" in first


def test_the_page_cache_is_its_own_alias_bounded_by_bytes(settings):
    from django.core.cache import caches

    pages = caches["pages"]
    assert pages is not caches["default"]
    pages.max_bytes = 1_000_000
    for n in range(40):
        pages.set(f"page-{n}", b"x" * 100_000)
    assert pages.stored_bytes() <= 1_000_000
    assert pages.get("page-39") is not None and pages.get("page-0") is None
    caches["default"].set("kept", 1)
    for n in range(40, 80):
        pages.set(f"page-{n}", b"x" * 100_000)
    assert caches["default"].get("kept") == 1


PAGES = {
    "home": lambda cohort, private: "/",
    "cohort": lambda cohort, private: f"/cohorts/{cohort.slug}/",
    "live": lambda cohort, private: f"/cohorts/{cohort.slug}/live/",
    "private cohort": lambda cohort, private: f"/cohorts/{private.slug}/",
    "chapter": lambda cohort, private: "/chapters/1/",
    "search": lambda cohort, private: "/search/?q=x",
    "pending": lambda cohort, private: "/pending/",
}
ROLES = ["anonymous", "student", "instructor", "staff"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_says_whether_a_shared_cache_may_keep_it(client, cohort, private_cohort, role, name, request):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    path = PAGES[name](cohort, private_cohort)
    client.get("/")  # the visitor's cookies are set: what follows depends only on the page
    response = client.get(path)
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    if role == "anonymous":
        assert directives == {"public", "no-cache"}, (path, response.status_code)
        assert "Cookie" in response["Vary"]  # a signed-in visitor's request never gets this copy
    else:
        assert directives == {"private", "no-cache"}, (path, response.status_code)


def test_a_response_that_sets_a_cookie_is_never_public():
    # The language switch answers with the visitor's own language cookie.
    response = Client().post(reverse("set_language"), {"language": "en"}, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.cookies
    assert {d.strip() for d in response["Cache-Control"].split(",")} == {"private", "no-cache"}


# --- 4. Deleted or edited content leaves every page at once --------------------------------------

SECRET = "유출된비밀키"


class Pages:
    """What an anonymous visitor's browser holds: the cohort page and its ETag, the live
    poll's ETag, the chapter page and a search, all fetched (and cached) before a change."""

    def __init__(self, cohort, chapter=1):
        self.client = Client()
        self.cohort_path = reverse("cohort", args=[cohort.slug])
        self.live_path = reverse("cohort-live", args=[cohort.slug])
        self.chapter_path = f"/chapters/{chapter}/"
        page = self.client.get(self.cohort_path)
        self.page_etag = page["ETag"]
        self.live_etag = self.client.get(self.live_path)["ETag"]
        self.before = self.texts()

    def texts(self):
        return {
            "page": self.client.get(self.cohort_path).content.decode(),
            "chapter": self.client.get(self.chapter_path).content.decode(),
            "search": self.client.get("/search/", {"q": SECRET}).content.decode(),
        }

    def revalidate(self):
        """(cohort page, live poll) answers to the ETags held from before the change."""
        page = self.client.get(self.cohort_path, HTTP_IF_NONE_MATCH=self.page_etag)
        live = self.client.get(self.live_path, HTTP_IF_NONE_MATCH=self.live_etag)
        return page, live


@pytest.fixture
def leaked(section):
    return make_question(section, f"접속 정보 {SECRET}?", "비밀번호는 hunter2", chapter=1)


def _assert_gone_everywhere(pages, text="접속 정보"):
    assert all(text in html for html in pages.before.values())
    page, live = pages.revalidate()
    assert page.status_code == 200 and text not in page.content.decode()
    assert live.status_code == 200 and text not in live.json()["flow"]
    after = pages.texts()
    assert text not in after["page"] and text not in after["chapter"] and text not in after["search"]


def test_the_admins_delete_selected_removes_a_question_from_every_page(client, staff, cohort, leaked):
    pages = Pages(cohort)
    client.force_login(staff)
    response = client.post(
        "/admin/qa/question/", {"action": "delete_selected", "_selected_action": [leaked.pk], "post": "yes"}
    )
    assert response.status_code == 302 and not Question.objects.filter(pk=leaked.pk).exists()
    _assert_gone_everywhere(pages)


def test_a_queryset_delete_removes_a_question_from_every_page(cohort, leaked):
    pages = Pages(cohort)
    Question.objects.filter(pk=leaked.pk).delete()
    _assert_gone_everywhere(pages)


def test_a_queryset_update_changes_every_page(cohort, leaked):
    pages = Pages(cohort)
    Question.objects.filter(pk=leaked.pk).update(question="지워진 질문", question_html="<p>지워진 질문</p>",
                                                 answer="", answer_html="")
    _assert_gone_everywhere(pages)


def test_deleting_a_section_in_the_admin_removes_its_questions_everywhere(client, staff, cohort, section, leaked):
    pages = Pages(cohort)
    client.force_login(staff)
    response = client.post(
        "/admin/qa/section/", {"action": "delete_selected", "_selected_action": [section.pk], "post": "yes"}
    )
    assert response.status_code == 302 and not Question.objects.filter(pk=leaked.pk).exists()
    _assert_gone_everywhere(pages)


@pytest.mark.parametrize("bulk", [False, True])
def test_a_chapter_edit_changes_every_cohort_page(cohort, leaked, bulk):
    from curriculum.models import Chapter

    pages = Pages(cohort)
    old_label = Chapter.objects.get(number=1).slug
    assert old_label in pages.before["page"]
    if bulk:
        Chapter.objects.filter(number=1).update(slug="01_Renamed_Chapter")
    else:
        chapter = Chapter.objects.get(number=1)
        chapter.slug = "01_Renamed_Chapter"
        chapter.save()
    _assert_gone_everywhere_or_renamed(pages, old_label, "01_Renamed_Chapter")


def test_a_lab_edit_changes_every_cohort_page(cohort, leaked):
    from curriculum.models import Lab

    lab = Lab.objects.filter(chapter__isnull=False).select_related("chapter").first()
    pages = Pages(cohort, chapter=lab.chapter.number)
    assert lab.label in pages.before["page"]
    Lab.objects.filter(pk=lab.pk).update(slug="99_Renamed_Lab")
    _assert_gone_everywhere_or_renamed(pages, lab.label, "99_Renamed_Lab")


def test_an_edit_of_the_default_schedule_changes_every_cohort_page(cohort, leaked):
    from datetime import timedelta

    from django.utils import timezone

    from curriculum.models import ScheduleDay

    # The default plan shows on running and upcoming cohorts (a past one shows none): make it upcoming.
    cohort.starts_on = timezone.localdate() + timedelta(days=7)
    cohort.ends_on = cohort.starts_on + timedelta(days=2)
    cohort.save()
    pages = Pages(cohort)
    day = ScheduleDay.objects.default().get(day=1)
    assert day.theory in pages.before["page"]
    old = day.theory
    day.theory = "완전히 새 이론 범위"
    day.save()
    page, live = pages.revalidate()
    assert page.status_code == 200 and "완전히 새 이론 범위" in page.content.decode()
    assert live.status_code == 200 and old not in live.json()["flow"]


def _assert_gone_everywhere_or_renamed(pages, old, new):
    page, live = pages.revalidate()
    assert page.status_code == 200 and old not in page.content.decode() and new in page.content.decode()
    assert live.status_code == 200 and new in live.json()["flow"]
    after = pages.texts()
    assert old not in after["page"] and new in after["page"]


def test_a_user_renamed_in_the_admin_changes_the_lists_that_name_them(client, staff, instructor, student, cohort,
                                                                        leaked):
    Question.objects.filter(pk=leaked.pk).update(author=instructor)
    client.force_login(student)
    listed = client.get("/api/questions/", {"cohort": cohort.slug})
    progress = client.get(f"/api/cohorts/{cohort.slug}/progress/")
    instructor.first_name, instructor.last_name = "새", "이름"
    instructor.save()
    again = client.get("/api/questions/", {"cohort": cohort.slug}, HTTP_IF_NONE_MATCH=listed["ETag"])
    assert again.status_code == 200 and again.json()["results"][0]["author"] == "새 이름"
    assert client.get(f"/api/cohorts/{cohort.slug}/progress/", HTTP_IF_NONE_MATCH=progress["ETag"]).status_code == 200


# --- 7. Login names are not public ------------------------------------------------------------------


@pytest.fixture
def staffer_marked(cohort, section):
    """A chapter struck through, and a question logged, by a staff user with a full name."""
    from curriculum.models import Chapter, Progress
    from tests.factories import make_user

    staffer = make_user("staffer", staff=True)
    staffer.first_name, staffer.last_name = "길동", "홍"
    staffer.save()
    progress = Progress(cohort=cohort, chapter=Chapter.objects.get(number=2))
    progress.mark("theory", True, staffer)
    progress.save()
    return make_question(section, "누가 썼나?", "", author=staffer)


EXPECTED_NAME = {"anonymous": None, "outsider": None, "student": "길동 홍", "instructor": "길동 홍", "staff": "staffer"}


@pytest.mark.parametrize("role", EXPECTED_NAME)
def test_people_are_shown_by_role_in_progress_and_questions(client, cohort, staffer_marked, role, request):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    expected = EXPECTED_NAME[role]
    progress = client.get(f"/api/cohorts/{cohort.slug}/progress/2/").json()
    assert progress["theory_done_by"] == expected
    listed = client.get("/api/questions/", {"cohort": cohort.slug}).json()["results"]
    assert [q["author"] for q in listed] == [expected]
    assert client.get(f"/api/questions/{staffer_marked.pk}/").json()["author"] == expected
    if role not in ("staff",):
        for path in (f"/cohorts/{cohort.slug}/", "/chapters/2/", "/search/?q=누가"):
            assert "staffer" not in client.get(path).content.decode()


def test_a_member_whose_colleague_has_no_full_name_sees_no_name_rather_than_a_login(client, instructor, student,
                                                                                        cohort, section):
    make_question(section, "이름 없는 작성자?", "", author=instructor)
    client.force_login(student)
    assert client.get("/api/questions/", {"cohort": cohort.slug}).json()["results"][0]["author"] is None


def test_striking_a_chapter_on_the_page_answers_with_a_display_name(client, instructor, cohort):
    instructor.first_name = "강사님"
    instructor.save()
    client.force_login(instructor)
    response = client.post(f"/cohorts/{cohort.slug}/progress/3/theory/", {"done": "1"}, **FETCH)
    assert response.json()["done_by"] == "강사님"


def test_the_openapi_schema_documents_who_sees_which_name(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "Login name for staff" in schema
