"""Private stays private: every URL pattern the project defines is requested with the
private cohort's slug, ids and chapter numbers (and search queries for its words) as
an anonymous visitor, a student of another cohort and an instructor of another
cohort; none of the private cohort's marker strings may appear in any response.

A pattern with a parameter the walker does not know how to fill fails the test,
so a new URL cannot slip past it.
"""

import itertools
import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from curriculum.models import Progress
from mspt3.uploads import validate_image
from qa.models import NotesImage, SectionExtra
from tests.factories import make_cohort, make_progress, make_question, make_section, make_user
from tests.security.images import image_bytes

pytestmark = pytest.mark.django_db

# Searched for, but never checked for: pages echo the query back.
QUESTION_WORD, ANSWER_WORD = "zebrafish", "quokka"
MARKERS = ["PRIVTITLE", "PRIVSECTION", "PRIVQUESTION", "PRIVANSWER", "PRIVEXTRA", "PRIVNOTES", "PRIVIMG", "PRIVTRACK"]
CHAPTER = 6


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern)


_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def _regex_params(pattern: str):
    """(start, end, name) of each ``(?P<name>…)`` group, parentheses balanced."""
    for match in re.finditer(r"\(\?P<(\w+)>", pattern):
        depth, i = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(pattern[i], 0) if pattern[i - 1] != "\\" else 0
            i += 1
        yield match.start(), i, match.group(1)


def _template(pattern: str) -> tuple[str, list[str]]:
    """A pattern as a format string with ``{name}`` holes, and the names."""
    names = []
    for start, end, name in reversed(list(_regex_params(pattern))):
        pattern = pattern[:start] + "{" + name + "}" + pattern[end:]
        names.append(name)
    pattern = pattern.replace("^", "").replace("$", "").replace("\\", "")

    def route(match):
        names.append(match.group("name"))
        return "{" + match.group("name") + "}"

    return "/" + _ROUTE_PARAM.sub(route, pattern), names


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    outsider_student, outsider_teacher = make_user("other-student"), make_user("other-teacher")
    insider, insider_teacher = make_user(), make_user()
    other = make_cohort("다른 반", public=False, students=[outsider_student], instructors=[outsider_teacher])
    make_question(make_section(other, "Docker"), "다른 반 질문", "다른 반 답")
    public = make_cohort("공개 반", public=True)
    make_question(make_section(public, "Docker"), "공개 질문", "공개 답", chapter=CHAPTER)

    private = make_cohort(
        "비공개 PRIVTITLE 반",
        public=False,
        students=[insider],
        instructors=[insider_teacher],
        notes="PRIVNOTES",
        track="PRIVTRACK",
    )
    private.slug = "cohort-b"
    private.save()
    section = make_section(private, "PRIVSECTION")
    questions = [
        make_question(section, "PRIVQUESTION zebrafish 질문입니다", "PRIVANSWER quokka 답입니다", chapter=CHAPTER),
        make_question(section, "PRIVQUESTION zebrafish 대기 중", "...", chapter=CHAPTER),
    ]
    extra = SectionExtra.objects.create(section=section, source="PRIVEXTRA 요약", position=10)
    validated = validate_image(image_bytes("PNG"))
    image = NotesImage(cohort=private, original_path="img/PRIVIMG.png", content_type=validated.content_type)
    image.file.save("x.png", ContentFile(validated.content), save=True)
    progress = make_progress(private, CHAPTER, theory=True)
    ids = {
        "courses.cohort": [private.pk],
        "courses.membership": list(private.memberships.values_list("pk", flat=True)),
        "qa.section": [section.pk],
        "qa.question": [q.pk for q in questions],
        "qa.sectionextra": [extra.pk],
        "qa.notesimage": [image.pk],
        "curriculum.progress": [progress.pk],
        "auth.user": [insider.pk, insider_teacher.pk],
    }
    return private, ids, image, insider, [None, outsider_student, outsider_teacher]


def _values(name, template, private, ids):
    """The values to try for one URL parameter; None if the walker does not know it."""
    object_ids = sorted({pk for pks in ids.values() for pk in pks})
    admin_model = re.match(r"/admin/(\w+)/(\w+)/\{object_id\}", template)
    if admin_model:
        model = f"{admin_model.group(1)}.{admin_model.group(2)}"
        return ids.get(model, object_ids)
    return {
        "slug": [private.slug],
        "token": ["not-the-invite-token"],
        "number": [CHAPTER],
        "part": ["theory", "lab"],
        "pk": object_ids,
        "id": ids["auth.user"],
        "object_id": object_ids,
        "content_type_id": [ContentType.objects.get_for_model(apps.get_model(m)).pk for m in ids],
        "app_label": ["courses", "qa", "curriculum", "auth"],
        "url": [f"courses/cohort/{private.pk}/change/", f"qa/question/{ids['qa.question'][0]}/"],
        "path": [f"cohorts/{private.slug}/notes.md", f"questions/{ids['qa.question'][0]}/"],
    }.get(name)


def _urls(private, ids):
    urls, unfillable = set(), []
    patterns = list(_walk(get_resolver()))
    for pattern in patterns:
        template, names = _template(pattern)
        choices = [_values(name, template, private, ids) for name in names]
        if any(choice is None for choice in choices):
            unfillable.append(pattern)
            continue
        for combination in itertools.product(*choices):
            path = template.format(**dict(zip(names, combination, strict=True)))
            try:
                resolve(path)
            except Resolver404:
                unfillable.append(f"{pattern} → {path}")
                continue
            urls.add(path)
            if not path.startswith("/admin/"):
                query = f"q={QUESTION_WORD}&search={ANSWER_WORD}&cohort={private.slug}&chapter={CHAPTER}"
                urls.add(f"{path}?{query}")
    return patterns, sorted(urls), unfillable


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_no_url_shows_a_private_cohort_to_anonymous_or_other_cohorts_members(client, world):
    private, ids, image, insider, viewers = world
    patterns, urls, unfillable = _urls(private, ids)
    assert not unfillable, f"the walker cannot fill: {unfillable}"
    urls += [f"/media/{image.file.name}", f"/search/?q={ANSWER_WORD}", f"/search/?q={QUESTION_WORD}+{CHAPTER}"]

    leaks, requests = [], 0
    for viewer in viewers:
        client.logout()
        if viewer:
            client.force_login(viewer)
        for url in urls:
            body = _body(client.get(url))
            requests += 1
            leaks += [(viewer and viewer.username, url, m) for m in MARKERS if m.encode() in body]
    print(f"\nprivate walk: {len(patterns)} URL patterns, {len(urls)} URLs, {requests} requests, {len(leaks)} leaks")
    assert not leaks

    # The walk is only meaningful if the markers do show up where they should.
    client.force_login(insider)
    page = client.get(f"/cohorts/{private.slug}/").content
    assert all(m.encode() in page for m in ["PRIVTITLE", "PRIVSECTION", "PRIVQUESTION", "PRIVANSWER", "PRIVEXTRA"])
    found = client.get(f"/search/?q={ANSWER_WORD}").content
    assert b"PRIVQUESTION" in found
    assert Progress.objects.filter(cohort=private).exists()
