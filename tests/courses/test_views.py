"""The cohorts home page and the cohort page: content, visibility, queries, live polling."""

import re
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.counts import with_counts
from courses.freshness import forget
from courses.models import Cohort
from qa.models import SectionExtra
from tests.factories import make_cohort, make_progress, make_question, make_section

pytestmark = pytest.mark.django_db


def cohort_url(cohort):
    return reverse("cohort", kwargs={"slug": cohort.slug})


def live_url(cohort):
    return reverse("cohort-live", kwargs={"slug": cohort.slug})


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


# --- courses.counts.with_counts -------------------------------------------------------


def test_with_counts_counts_questions_pending_answers_and_completed_theory_per_cohort():
    busy, quiet = make_cohort(), make_cohort()
    docker = make_section(busy, "Docker")
    make_question(docker, answer="- 네, 됩니다.")
    make_question(docker, answer="- ...")
    make_question(make_section(busy, "Kubernetes"), answer="")
    make_progress(busy, 1, theory=True, lab=False)
    make_progress(busy, 2, theory=True, lab=True)
    make_progress(busy, 3, theory=False, lab=True)  # a lab alone does not complete a chapter

    counted = {c.pk: c for c in with_counts(Cohort.objects.all())}

    def figures(cohort):
        c = counted[cohort.pk]
        return c.question_count, c.pending_count, c.chapters_done

    assert figures(busy) == (3, 2, 2)
    assert figures(quiet) == (0, 0, 0)


# --- Home ---------------------------------------------------------------------


@time_machine.travel(date(2024, 5, 8), tick=False)
def test_home_lists_running_then_upcoming_then_the_rest_by_program_and_year(client):
    old_t2 = make_cohort("MSP T2 - 23-2차", program="MSP T2", starts_on=date(2023, 6, 1), ends_on=date(2023, 6, 3))
    old_t3 = make_cohort("MSP T3 - 23-3차", starts_on=date(2023, 9, 4), ends_on=date(2023, 9, 6))
    last_t3 = make_cohort("MSP T3 - 24-1차", starts_on=date(2024, 2, 5), ends_on=date(2024, 2, 7))
    later = make_cohort("MSP T3 - 24-4차", starts_on=date(2024, 9, 2), ends_on=date(2024, 9, 4))
    soon = make_cohort("MSP T3 - 24-3차", starts_on=date(2024, 6, 3), ends_on=date(2024, 6, 5))
    running = make_cohort("MSP T3 - 24-2차", starts_on=date(2024, 5, 7), ends_on=date(2024, 5, 9))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert [c.pk for c in response.context["current"]] == [running.pk, soon.pk, later.pk]
    groups = [(key, [c.pk for c in cohorts]) for key, cohorts in response.context["groups"]]
    assert groups == [
        (("MSP T2", 2023), [old_t2.pk]),
        (("MSP T3", 2024), [last_t3.pk]),
        (("MSP T3", 2023), [old_t3.pk]),
    ]
    page = response.content.decode()
    assert page.index("MSP T3 - 24-2차") < page.index("MSP T3 - 24-3차") < page.index("MSP T2 - 23-2차")


def test_home_shows_each_cohorts_progress_and_question_counts(client):
    cohort = make_cohort("MSP T3 - 진행 중")
    section = make_section(cohort)
    make_question(section, answer="- 답")
    make_question(section, answer="...")
    make_progress(cohort, 1, theory=True)

    page = text_of(client.get(reverse("home")).content.decode())

    assert "15개 챕터 중 1개 완료" in page
    assert "질문 2개" in page and "답변 대기 1개" in page


def test_home_queries_do_not_grow_with_the_number_of_cohorts(client):
    def queries_for_home():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries)

    for _ in range(2):
        make_question(make_section(make_cohort()))
    few = queries_for_home()
    for _ in range(8):
        make_question(make_section(make_cohort()))
    assert queries_for_home() == few


def test_home_hides_private_cohorts_from_anonymous_visitors_and_outsiders(client, private_cohort, outsider):
    assert private_cohort.title not in client.get(reverse("home")).content.decode()
    client.force_login(outsider)
    assert private_cohort.title not in client.get(reverse("home")).content.decode()


def test_home_shows_a_private_cohort_to_its_student(client, private_cohort, student):
    client.force_login(student)
    assert private_cohort.title in client.get(reverse("home")).content.decode()


# --- Cohort page: visibility ----------------------------------------------------


def test_a_public_cohort_page_needs_no_login(client, cohort):
    response = client.get(cohort_url(cohort))
    assert response.status_code == 200
    assert cohort.title in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_a_private_cohort_page_and_its_poll_are_404_for_those_who_may_not_see_it(client, private_cohort, outsider, who):
    if who == "outsider":
        client.force_login(outsider)
    assert client.get(cohort_url(private_cohort)).status_code == 404
    assert client.get(live_url(private_cohort)).status_code == 404


@pytest.mark.parametrize("who", ["student", "instructor", "staff"])
def test_a_private_cohort_page_is_shown_to_its_members_and_staff(client, private_cohort, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(cohort_url(private_cohort))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_a_cohort_slug_may_be_korean(client):
    cohort = make_cohort("MSP T3 - 한글 슬러그", slug="한글-코호트")
    assert client.get(cohort_url(cohort)).status_code == 200


# --- Cohort page: content ---------------------------------------------------------


def test_cohort_page_shows_program_track_and_dates_in_the_visitors_language(client):
    cohort = make_cohort("MSP T3 - 24-2차 (SCP)", track="SCP", run_code="24-2차",
                         starts_on=date(2024, 5, 7), ends_on=date(2024, 5, 9))

    korean = text_of(client.get(cohort_url(cohort)).content.decode())
    english = text_of(client.get(cohort_url(cohort), HTTP_ACCEPT_LANGUAGE="en").content.decode())

    assert "MSP T3 24-2차" in korean and "SCP" in korean
    assert "2024년 5월 7일" in korean and "2024년 5월 9일" in korean
    assert "May 7, 2024" in english and "Curriculum" in english
    assert "커리큘럼" in korean


def test_curriculum_strikes_through_completed_theory_and_lab_separately(client, cohort):
    make_progress(cohort, 2, theory=True, lab=True)
    make_progress(cohort, 6, theory=True, lab=False)

    page = client.get(cohort_url(cohort)).content.decode()

    assert "<del>[Book] 02_Docker_Commands</del>" in page
    assert "<del>[Hands-on] 02_Docker_Commands</del>" in page
    assert "<del>[Book] 06_Dockerfile_BestPractice</del>" in page
    assert "[Hands-on] 05_Dockerfile" in page and "<del>[Hands-on] 05_Dockerfile</del>" not in page
    assert "<del>[Book] 07_Kubernetes_Overview</del>" not in page


def test_curriculum_pairs_chapter_6_with_lab_05_and_shows_a_dash_for_chapters_1_and_5(client, cohort):
    page = client.get(cohort_url(cohort)).content.decode()
    rows = {int(n): text_of(row) for n, row in re.findall(r'<tr id="chapter-(\d+)">(.*?)</tr>', page, re.S)}

    assert len(rows) == 15
    assert rows[6].startswith("6 [Book] 06_Dockerfile_BestPractice [Hands-on] 05_Dockerfile")
    assert rows[1].endswith(" -") and rows[5].endswith(" -")
    assert "<table" in page and '<th scope="col">' in page


def test_curriculum_progress_bar_counts_completed_theory(client, cohort):
    for number in (1, 2, 3):
        make_progress(cohort, number, theory=True)
    page = client.get(cohort_url(cohort)).content.decode()
    assert '<progress id="curriculum-progress" max="15" value="3">' in page


@time_machine.travel(date(2024, 5, 8), tick=False)
def test_schedule_highlights_today_while_the_cohort_is_running(client):
    cohort = make_cohort(starts_on=date(2024, 5, 7), ends_on=date(2024, 5, 9))
    page = client.get(cohort_url(cohort)).content.decode()
    today = re.findall(r'<li class="schedule-day is-today" aria-current="date">\s*<h3>(.*?)</h3>', page, re.S)
    assert len(today) == 1
    assert "2일차" in today[0] and "2024년 5월 8일" in today[0]


@time_machine.travel(date(2024, 5, 1), tick=False)
def test_schedule_highlights_no_day_when_the_cohort_is_not_running(client):
    # Upcoming: the default plan is shown (a past cohort without a plan of its own shows none).
    cohort = make_cohort(starts_on=date(2024, 5, 7), ends_on=date(2024, 5, 9))
    page = client.get(cohort_url(cohort)).content.decode()
    assert page.count('class="schedule-day"') == 3
    assert "is-today" not in page


def test_qa_sections_in_position_order_with_summary_boards_where_they_were(client, cohort):
    kubernetes = make_section(cohort, "Kubernetes", position=2)
    docker = make_section(cohort, "Docker", position=1)
    first = make_question(docker, "첫 질문?", "- 첫 답")
    second = make_question(docker, "둘째 질문?", "- 둘째 답")
    board = SectionExtra.objects.create(section=docker, kind="summary", position=first.position,
                                        source="### Docker Summary\n\n![요약](img/summary.png)")
    # An extra sharing a position with a question comes before it, as in the notes.
    SectionExtra.objects.filter(pk=board.pk).update(position=second.position)
    k8s = make_question(kubernetes, "파드는 무엇인가요?", "- 컨테이너의 묶음")

    page = client.get(cohort_url(cohort)).content.decode()

    assert page.index(f'id="s-{docker.pk}"') < page.index(f'id="s-{kubernetes.pk}"')
    assert page.index(f'id="q-{first.pk}"') < page.index(f'id="x-{board.pk}"') < page.index(f'id="q-{second.pk}"')
    assert page.index(f'id="q-{second.pk}"') < page.index(f'id="q-{k8s.pk}"')
    assert "<h3>Docker Summary</h3>" in page and 'src="img/summary.png"' in page


def test_each_question_has_an_anchor_a_copy_link_button_and_a_chapter_badge(client, cohort, section):
    question = make_question(section, "CH06 빌드 컨텍스트는?", "- 현재 디렉토리", chapter=6)
    page = client.get(cohort_url(cohort)).content.decode()

    assert f'<li id="q-{question.pk}" class="question">' in page
    # "#pk" opens the question's own page (its "also asked in"); "Copy link" copies its place here.
    assert f'<a class="permalink" href="/questions/{question.pk}/"' in page
    assert f'data-copy-url="{question.get_absolute_url()}"' in page
    assert '<a class="badge badge-chapter" href="/chapters/6/"' in page and ">CH06</a>" in page


def test_pending_answers_are_marked_pending_and_answered_ones_are_not(client, cohort, section):
    pending = make_question(section, "브릿지 개수 제한은?", "- ...")
    answered = make_question(section, "포트는 자동인가요?", "- 이미지에 지정합니다.")
    page = client.get(cohort_url(cohort)).content.decode()

    assert f'<li id="q-{pending.pk}" class="question is-pending">' in page
    assert f'<li id="q-{answered.pk}" class="question">' in page
    assert page.count("답변 대기") == 1
    assert "이미지에 지정합니다." in page


def test_answers_show_their_stored_highlighted_html(client, cohort, section):
    answer = "- 예시\n\n```dockerfile\nFROM nginx:alpine\nRUN echo hi\n```\n\n```yaml\nkind: Pod\n```\n"
    question = make_question(section, "Dockerfile 예시?", answer)
    page = client.get(cohort_url(cohort)).content.decode()

    assert question.answer_html in page
    assert '<pre class="highlight" data-lang="dockerfile">' in page
    assert '<pre class="highlight" data-lang="yaml">' in page


def test_unmodelled_blocks_of_the_notes_are_shown_where_they_were(client, db):
    from notes.importer import import_notes_text

    notes = (
        "# MSP T3 - 순서 확인\n\n## Docker\n\n- 도커 질문?\n  - 답\n\n"
        "## 수업 플레이리스트\n\n- [노래 한 곡](https://example.com/song)\n\n"
        "## Kubernetes\n\n- 쿠버 질문?\n  - 답\n\n\n"
    )
    cohort = import_notes_text(notes, slug="layout-order").cohort
    docker, kubernetes = cohort.sections.get(title="Docker"), cohort.sections.get(title="Kubernetes")

    page = client.get(cohort_url(cohort)).content.decode()

    playlist = page.index("<h2>수업 플레이리스트</h2>")
    assert page.index(f'id="s-{docker.pk}"') < playlist < page.index(f'id="s-{kubernetes.pk}"')
    assert 'href="https://example.com/song"' in page
    assert page.count("notes-verbatim") == 1  # blank text blocks add nothing


def test_unmodelled_blocks_are_rendered_once_at_import_and_cannot_inject_script(client, db):
    from notes.importer import import_notes_text

    notes = (
        "# MSP T3 - 스크립트\n\n## 설문 요약\n\n<script>alert(1)</script>\n\n"
        "<img src=x onerror=\"alert(2)\"> 남는 글\n"
    )
    cohort = import_notes_text(notes, slug="layout-script").cohort
    stored = [block["html"] for block in cohort.notes_layout if block["kind"] == "text" and block["html"]]
    assert any("남는 글" in html for html in stored)
    page = client.get(cohort_url(cohort)).content.decode()
    assert "<script>alert(1)" not in page and "onerror" not in page
    assert "남는 글" in page


def test_instructor_tools_are_loaded_only_for_those_who_may_write(client, cohort, instructor, student):
    assert "js/instructor.js" not in client.get(cohort_url(cohort)).content.decode()
    client.force_login(student)
    assert "js/instructor.js" not in client.get(cohort_url(cohort)).content.decode()
    client.force_login(instructor)
    page = client.get(cohort_url(cohort)).content.decode()
    assert "js/instructor.js" in page and 'id="quick-entry"' in page


def test_cohort_page_has_no_inline_script_or_style(client, cohort, section):
    make_question(section, answer="```bash\necho hi\n```")
    page = client.get(cohort_url(cohort)).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert " style=" not in page and "<style" not in page


# --- Queries ----------------------------------------------------------------


def count_page_queries(client, cohort):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(cohort_url(cohort))
    assert response.status_code == 200
    return len(queries)


def fill(cohort, n):
    docker, kubernetes = make_section(cohort, "Docker"), make_section(cohort, "Kubernetes")
    for i in range(n):
        make_question(docker if i % 2 else kubernetes, f"질문 {i}?", "- 답\n\n```bash\nls\n```" if i % 3 else "...",
                      chapter=i % 15 + 1)
    SectionExtra.objects.create(section=docker, kind="summary", position=1, source="### Docker Summary")


def test_cohort_page_queries_stay_the_same_for_10_and_500_questions(client):
    small, large = make_cohort(), make_cohort()
    fill(small, 10)
    fill(large, 500)
    for cohort in (small, large):
        make_progress(cohort, 1, theory=True)

    queries_small, queries_large = count_page_queries(client, small), count_page_queries(client, large)

    print(f"cohort page SQL queries: 10 questions → {queries_small}, 500 questions → {queries_large}")
    assert queries_small == queries_large <= 10
    assert client.get(cohort_url(large)).content.decode().count('<li id="q-') == 500


def test_a_logged_in_students_cohort_page_queries_stay_the_same_for_10_and_500_questions(client, student):
    small, large = make_cohort(students=[student]), make_cohort(students=[student])
    fill(small, 10)
    fill(large, 500)
    client.force_login(student)
    # 12, and 4 for the class's questions (room/context.py): the open ones, and the viewer's own
    # questions, votes and unseen notices — a constant, whatever the number of questions; and 1
    # for the unseen count in the ETag (room.context.viewer_tag: a reload after "seen" is no 304).
    assert count_page_queries(client, small) == count_page_queries(client, large) <= 17


# --- Conditional requests and live polling ------------------------------------------


def test_an_unchanged_cohort_page_answers_a_conditional_get_with_304(client, cohort, section):
    make_question(section)
    first = client.get(cohort_url(cohort))
    again = client.get(cohort_url(cohort), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_an_anonymous_304_and_a_shared_page_hit_cost_no_query_while_the_cohorts_are_unchanged(
    client, cohort, section, django_assert_num_queries
):
    question = make_question(section)
    first = client.get(cohort_url(cohort))
    with django_assert_num_queries(0):  # the head kept by courses.poll_lookup, vouched for by courses.freshness
        assert client.get(cohort_url(cohort), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    with django_assert_num_queries(0):
        again = client.get(cohort_url(cohort))
    assert again.status_code == 200 and f'id="q-{question.pk}"' in again.content.decode()


def test_a_changed_cohort_page_gets_a_new_etag_and_a_full_answer(client, cohort, section):
    first = client.get(cohort_url(cohort))
    question = make_question(section, "새로 올라온 질문?")
    again = client.get(cohort_url(cohort), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert f'id="q-{question.pk}"' in again.content.decode()


def test_the_page_etag_differs_between_languages_and_between_readers_and_writers(client, cohort, instructor):
    korean = client.get(cohort_url(cohort))["ETag"]
    english = client.get(cohort_url(cohort), HTTP_ACCEPT_LANGUAGE="en")["ETag"]
    client.force_login(instructor)
    writer = client.get(cohort_url(cohort))["ETag"]
    assert len({korean, english, writer}) == 3


def test_an_unchanged_live_poll_is_a_304_from_one_query_then_none(client, cohort, section, django_assert_num_queries):
    make_question(section)
    etag = client.get(cohort_url(cohort)).context["live_etag"]
    forget()
    with django_assert_num_queries(1):
        response = client.get(live_url(cohort), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    with django_assert_num_queries(0):
        response = client.get(live_url(cohort), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_a_live_poll_after_a_change_returns_the_new_question_in_the_same_markup_as_the_page(client, cohort, section):
    etag = client.get(cohort_url(cohort)).context["live_etag"]
    question = make_question(section, "라이브로 보이나요?", "- 네")

    response = client.get(live_url(cohort), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    flow = response.json()["flow"]
    assert f'<li id="q-{question.pk}" class="question">' in flow
    assert flow in client.get(cohort_url(cohort)).content.decode()


def test_a_live_poll_shows_progress_changes(client, cohort):
    etag = client.get(cohort_url(cohort)).context["live_etag"]
    make_progress(cohort, 7, theory=True)
    flow = client.get(live_url(cohort), HTTP_IF_NONE_MATCH=etag).json()["flow"]
    assert "<del>[Book] 07_Kubernetes_Overview</del>" in flow
    assert 'value="1"' in flow


def test_a_recreated_cohort_with_the_same_slug_never_matches_an_old_etag(client):
    old = make_cohort("MSP T3 - 다시", slug="again")
    etag = client.get(live_url(old))["ETag"]
    old.delete()
    make_cohort("MSP T3 - 다시", slug="again")
    assert client.get(live_url(Cohort.objects.get(slug="again")), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_page_and_its_poll_refuse_writes(client, cohort):
    assert client.post(cohort_url(cohort)).status_code == 405
    assert client.post(live_url(cohort)).status_code == 405


def test_the_notes_own_plan_heading_titles_the_schedule_instead_of_showing_as_stray_text(client, db):
    from notes.importer import import_notes_text

    notes = "# MSP T3 - 계획 제목\n\n##MSP T3 강의계획\n- 1일차\n  - 이론 : Docker overview ~ network\n"
    cohort = import_notes_text(notes, slug="plan-title").cohort
    page = client.get(cohort_url(cohort)).content.decode()
    assert '<h2 id="schedule-heading">MSP T3 강의계획</h2>' in page
    assert "##MSP" not in page
