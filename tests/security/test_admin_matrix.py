"""The permission matrix's admin column: every role × what the admin offers, on cohort A
(taught by ``instructor``; ``other_instructor`` teaches cohort B). Each cell checks the
status code and what the database (or the page) shows afterwards.

Staff keep Django's model permissions (this one may handle questions, progress and the
schedule, not users, cohorts or the glossary); the superuser may do everything; an
instructor who is not staff reaches the rows of the cohorts they teach and nothing else;
anyone else is sent to the admin's login page.
"""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from curriculum.models import Chapter, Progress, ScheduleDay
from qa.models import Question
from search.models import GlossaryTerm
from tests.factories import make_cohort, make_progress, make_question, make_section, make_user
from tests.security.images import image_bytes

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "student", "instructor", "other_instructor", "staff", "superuser"]
OUTSIDE = {"anonymous", "outsider", "student"}  # not staff and teaching nothing: no admin at all
STAFF_PERMISSIONS = [
    "qa.view_question", "qa.add_question", "qa.change_question", "qa.delete_question", "qa.view_section",
    "curriculum.view_progress", "curriculum.change_progress",
    "curriculum.view_scheduleday", "curriculum.add_scheduleday", "curriculum.change_scheduleday",
]


def _with_permissions(user, names):
    for name in names:
        app_label, codename = name.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


@pytest.fixture
def world():
    people = {
        "outsider": make_user("x-outsider"),
        "student": make_user("x-student"),
        "instructor": make_user("x-instructor"),
        "other_instructor": make_user("x-other-instructor"),
        "staff": _with_permissions(make_user("x-staff"), STAFF_PERMISSIONS),
        "superuser": make_user("x-superuser", staff=True),
    }
    people["staff"].is_staff = True
    people["staff"].save()
    a = make_cohort("A 코호트", public=False, instructors=[people["instructor"]], students=[people["student"]])
    b = make_cohort("B 코호트", public=False, instructors=[people["other_instructor"]])
    a_section, b_section = make_section(a, "Docker"), make_section(b, "Docker")
    world = {
        "people": people, "a": a, "b": b, "a_section": a_section, "b_section": b_section,
        "a_pending": make_question(a_section, "A 대기 질문", "..."),
        "a_answered": make_question(a_section, "A 답한 질문", "- 답"),
        "b_pending": make_question(b_section, "B 대기 질문", "..."),
        "a_progress": make_progress(a, 1),
        "default_day": ScheduleDay.objects.default().order_by("day").first(),
    }
    assert world["default_day"] is not None  # the data migration's 3-day plan
    return world


def _listed(response, *texts):
    page = response.content.decode() if response.status_code == 200 else ""
    return tuple(text in page for text in texts)


def index(client, w):
    return client.get("/admin/"), lambda: None


def list_questions(client, w):
    response = client.get("/admin/qa/question/")
    return response, lambda: _listed(response, "A 대기 질문", "B 대기 질문")


def pending_filter(client, w):
    response = client.get("/admin/qa/question/?pending__exact=1")
    return response, lambda: _listed(response, "A 대기 질문", "A 답한 질문", "B 대기 질문")


def open_question(client, w):
    return client.get(f"/admin/qa/question/{w['a_pending'].pk}/change/"), lambda: None


def change_question(client, w):
    question = w["a_pending"]
    data = {"section": w["a_section"].pk, "position": 1, "question": "고친 질문", "answer": "- 새 답",
            "chapter": "", "author": "", "loaded_revision": question.revision}
    response = client.post(f"/admin/qa/question/{question.pk}/change/", data)
    return response, lambda: Question.objects.get(pk=question.pk).question == "고친 질문"


def add_question(client, w):
    data = {"section": w["a_section"].pk, "position": 9, "question": "어드민 새 질문", "answer": "...", "chapter": ""}
    response = client.post("/admin/qa/question/add/", data)
    return response, lambda: Question.objects.filter(question="어드민 새 질문", section=w["a_section"]).exists()


def delete_question(client, w):
    response = client.post(f"/admin/qa/question/{w['a_answered'].pk}/delete/", {"post": "yes"})
    return response, lambda: not Question.objects.filter(pk=w["a_answered"].pk).exists()


def delete_selected(client, w):
    """The changelist's bulk delete acts on the rows the changelist shows, whatever ids are posted."""
    data = {"action": "delete_selected", "_selected_action": [w["a_answered"].pk], "post": "yes"}
    response = client.post("/admin/qa/question/", data)
    return response, lambda: not Question.objects.filter(pk=w["a_answered"].pk).exists()


def history(client, w):
    return client.get(f"/admin/qa/question/{w['a_pending'].pk}/history/"), lambda: None


def section_choices(client, w):
    """The section picker (an autocomplete) offers only the sections of cohorts one teaches."""
    response = client.get(
        "/admin/autocomplete/", {"app_label": "qa", "model_name": "question", "field_name": "section", "term": ""}
    )
    ids = {int(row["id"]) for row in response.json()["results"]} if response.status_code == 200 else set()
    return response, lambda: (w["a_section"].pk in ids, w["b_section"].pk in ids)


def edit_progress(client, w):
    progress = w["a_progress"]
    data = {"cohort": w["a"].pk, "chapter": progress.chapter_id, "theory_done_at_0": "2024-01-01",
            "theory_done_at_1": "10:00:00", "lab_done_at_0": "", "lab_done_at_1": ""}
    response = client.post(f"/admin/curriculum/progress/{progress.pk}/change/", data)
    return response, lambda: Progress.objects.get(pk=progress.pk).theory_done_at is not None


def add_schedule_day(client, w):
    chapters = Chapter.objects.order_by("number")
    data = {"cohort": w["a"].pk, "day": 1, "theory": "도커 개요", "lab": "", "first_chapter": chapters[0].pk,
            "last_chapter": chapters[1].pk}
    response = client.post("/admin/curriculum/scheduleday/add/", data)
    return response, lambda: ScheduleDay.objects.filter(cohort=w["a"], day=1).exists()


def mark_chapters_completed(client, w):
    data = {"action": "mark_completed", "_selected_action": [w["a_progress"].pk]}
    response = client.post("/admin/curriculum/progress/", data)
    return response, lambda: Progress.objects.get(pk=w["a_progress"].pk).theory_done_at is not None


def add_default_schedule_day(client, w):
    """A day without a cohort would join the default plan every cohort without its own shows."""
    chapters = Chapter.objects.order_by("number")
    data = {"cohort": "", "day": 9, "theory": "기본 9일차", "lab": "", "first_chapter": chapters[0].pk,
            "last_chapter": chapters[0].pk}
    response = client.post("/admin/curriculum/scheduleday/add/", data)
    return response, lambda: ScheduleDay.objects.filter(theory="기본 9일차").exists()


def edit_default_schedule(client, w):
    """The default plan (no cohort) is every cohort's: a site setting, not an instructor's."""
    day = w["default_day"]
    data = {"cohort": "", "day": day.day, "theory": "바뀐 기본 계획", "lab": day.lab,
            "first_chapter": day.first_chapter_id, "last_chapter": day.last_chapter_id}
    response = client.post(f"/admin/curriculum/scheduleday/{day.pk}/change/", data)
    return response, lambda: ScheduleDay.objects.get(pk=day.pk).theory == "바뀐 기본 계획"


def user_admin(client, w):
    return client.get("/admin/auth/user/"), lambda: None


def make_self_superuser(client, w):
    """The user admin's change form, aimed at the instructor's own account."""
    me = w["people"]["instructor"]
    response = client.post(f"/admin/auth/user/{me.pk}/change/", {"username": me.username, "is_superuser": "on",
                                                                  "is_staff": "on", "is_active": "on"})
    return response, lambda: type(me).objects.filter(pk=me.pk, is_superuser=True).exists()


def user_choices(client, w):
    """An autocomplete of users through the question form's author field."""
    response = client.get(
        "/admin/autocomplete/", {"app_label": "qa", "model_name": "question", "field_name": "author", "term": "x"}
    )
    return response, lambda: None


def edit_cohort(client, w):
    response = client.post(f"/admin/courses/cohort/{w['a'].pk}/change/", {"title": "바뀐 제목", "is_public": "on"})
    return response, lambda: type(w["a"]).objects.get(pk=w["a"].pk).is_public


def add_glossary_term(client, w):
    response = client.post("/admin/search/glossaryterm/add/", {"key": "matrixterm", "spellings": "matrix"})
    return response, lambda: GlossaryTerm.objects.filter(key="matrixterm").exists()


def chapters(client, w):
    return client.get("/admin/curriculum/chapter/"), lambda: None


def view_on_site(client, w):
    content_type = ContentType.objects.get_for_model(Question)
    response = client.get(f"/admin/r/{content_type.pk}/{w['a_pending'].pk}/")
    return response, lambda: response.get("Location", "").endswith(f"#q-{w['a_pending'].pk}")


def preview(client, w):
    response = client.post("/markdownx/markdownify/", {"content": "**굵게**"})
    return response, lambda: "<strong>굵게</strong>" in response.content.decode()


def upload(client, w):
    image = SimpleUploadedFile("board.png", image_bytes("PNG"), content_type="image/png")
    response = client.post("/markdownx/upload/", {"image": image}, headers={"x-requested-with": "XMLHttpRequest"})
    return response, lambda: response.status_code == 200 and "/media/markdownx/" in response.json()["image_code"]


def _cells(instructor, other_instructor, staff, superuser):
    return {"instructor": instructor, "other_instructor": other_instructor, "staff": staff, "superuser": superuser}


OK, NONE = (200, None), None
# action → (instructor, instructor of another cohort, staff with question/progress/schedule permissions, superuser)
ADMIN = {
    index: _cells(OK, OK, OK, OK),
    list_questions: _cells((200, (True, False)), (200, (False, True)), (200, (True, True)), (200, (True, True))),
    pending_filter: _cells(
        (200, (True, False, False)), (200, (False, False, True)), (200, (True, False, True)), (200, (True, False, True))
    ),
    open_question: _cells(OK, (404, None), OK, OK),
    change_question: _cells((302, True), (404, False), (302, True), (302, True)),
    # Another cohort's section is not a valid choice: the form comes back with an error.
    add_question: _cells((302, True), (200, False), (302, True), (302, True)),
    delete_question: _cells((302, True), (404, False), (302, True), (302, True)),
    delete_selected: _cells((302, True), (302, False), (302, True), (302, True)),
    history: _cells(OK, (404, None), OK, OK),
    section_choices: _cells((200, (True, False)), (200, (False, True)), (200, (True, True)), (200, (True, True))),
    edit_progress: _cells((302, True), (404, False), (302, True), (302, True)),
    add_schedule_day: _cells((302, True), (200, False), (302, True), (302, True)),
    mark_chapters_completed: _cells((302, True), (302, False), (302, True), (302, True)),
    add_default_schedule_day: _cells((200, False), (200, False), (302, True), (302, True)),
    edit_default_schedule: _cells((404, False), (404, False), (302, True), (302, True)),
    user_admin: _cells((403, None), (403, None), (403, None), OK),
    make_self_superuser: _cells((403, False), (403, False), (403, False), (200, False)),  # (200: the form wants more)
    user_choices: _cells((403, None), (403, None), (403, None), OK),
    edit_cohort: _cells((403, False), (403, False), (403, False), (200, False)),
    add_glossary_term: _cells((403, False), (403, False), (403, False), (302, True)),
    chapters: _cells((403, None), (403, None), (403, None), OK),
    view_on_site: _cells((302, True), (404, False), (302, True), (302, True)),
}
# The markdownx editor's preview and upload are not admin URLs: sign-in first, then instructors and staff.
EDITOR = {preview: (200, True), upload: (200, True)}


def expected(role, action):
    if action in EDITOR:
        if role == "anonymous":
            return 302, False
        return EDITOR[action] if role not in OUTSIDE else (403, False)
    if role in OUTSIDE:
        return 302, _nothing(ADMIN[action]["instructor"][1])
    return ADMIN[action][role]


def _nothing(state):
    """What an action shows when it was refused: nothing listed, nothing changed."""
    if isinstance(state, tuple):
        return tuple(False for _ in state)
    return None if state is None else False


@pytest.mark.parametrize("action", [*ADMIN, *EDITOR], ids=lambda action: action.__name__)
@pytest.mark.parametrize("role", ROLES)
def test_admin_permission_matrix(client, world, role, action):
    if role != "anonymous":
        client.force_login(world["people"][role])
    response, observed = action(client, world)
    status, state = expected(role, action)
    assert (response.status_code, observed()) == (status, state)
    if role in OUTSIDE and action in ADMIN:
        assert response["Location"].startswith("/admin/login/")
