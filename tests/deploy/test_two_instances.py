"""Two instances, one site: two real gunicorn processes behind no shared memory, only
PostgreSQL and Redis. Whatever one instance does, the other must show at once."""

import json
import re
import subprocess
import sys

import pytest
import redis

from mspt3.pagecache import ENCODINGS
from tests.deploy.instances import ROOT, Instance, Visitor, create_database, drop_database, manage, redis_url, site_env
from tests.security.images import image_bytes

pytestmark = pytest.mark.integration

SETUP = """
import json
from rest_framework.authtoken.models import Token
from tests.factories import make_cohort, make_section, make_user
teacher = make_user("teacher", password="two-instances-pw")
make_user("guarded", password="two-instances-pw")
cohort = make_cohort("MSP T3 - 두 인스턴스", public=True, instructors=[teacher], slug="two-sites")
section = make_section(cohort, "Docker")
print(json.dumps({"token": Token.objects.create(user=teacher).key, "section": section.pk}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    database = create_database("two")
    cache = redis.Redis.from_url(redis_url())
    cache.flushdb()
    env = site_env(database, redis_url())
    instances = []
    try:
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "collectstatic", "--no-input", "-v0")
        data = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
        instances = [Instance(name, env, tmp_path_factory.mktemp(f"media-{name}")) for name in "AB"]
        for instance in instances:
            instance.wait_ready()
        yield {"a": instances[0], "b": instances[1], "redis": cache, **data}
    finally:
        for instance in instances:
            instance.stop()
        drop_database(database)
        cache.flushdb()


def _api_create(site, instance, text):
    body = json.dumps({"cohort": "two-sites", "section": site["section"], "question": text, "answer": "답"})
    headers = {"Authorization": f"Token {site['token']}", "Content-Type": "application/json"}
    return Visitor().request(instance, "POST", "/api/questions/", body, headers)


def _page_keys(site) -> int:
    return sum(1 for _ in site["redis"].scan_iter(match="*:page-*"))


def test_both_instances_are_ready_on_the_shared_database_and_cache(site):
    for instance in (site["a"], site["b"]):
        assert json.loads(Visitor(instance).get("/readyz").body) == {"status": "ok", "database": "ok", "cache": "ok"}


def test_a_write_through_a_is_on_bs_page_and_live_poll_at_once_with_the_same_etag(site):
    a, b = site["a"], site["b"]
    before = Visitor(b).get("/cohorts/two-sites/live/")
    assert before.status == 200
    assert Visitor(b).get("/cohorts/two-sites/live/", headers={"If-None-Match": before.headers["etag"]}).status == 304

    created = _api_create(site, a, "A에서 쓴 질문: 볼륨은 언제 지워지나요?")
    assert created.status == 201, created.text

    live_b = Visitor(b).get("/cohorts/two-sites/live/", headers={"If-None-Match": before.headers["etag"]})
    assert live_b.status == 200 and "볼륨은 언제 지워지나요" in json.loads(live_b.body)["flow"]
    live_a = Visitor(a).get("/cohorts/two-sites/live/")
    assert live_a.headers["etag"] == live_b.headers["etag"] != before.headers["etag"]
    assert "볼륨은 언제 지워지나요" in Visitor(b).get("/cohorts/two-sites/").text
    for instance in (a, b):  # both now answer the new tag with 304
        assert (
            Visitor(instance).get("/cohorts/two-sites/live/", headers={"If-None-Match": live_a.headers["etag"]}).status
            == 304
        )


def test_the_anonymous_page_is_rendered_once_for_both_instances(site):
    a, b = site["a"], site["b"]
    assert _api_create(site, a, "페이지 캐시를 바꾸는 질문").status == 201  # a new version: no page cached for it yet
    keys = _page_keys(site)
    first = Visitor(a).get("/cohorts/two-sites/")
    rendered = keys + len(ENCODINGS)  # one rendering, kept in each content coding
    assert first.status == 200 and _page_keys(site) == rendered
    second = Visitor(b).get("/cohorts/two-sites/")
    assert second.status == 200 and _page_keys(site) == rendered  # B served A's rendering
    assert first.text == second.text  # byte for byte: a shared page carries no one's token


def test_a_session_made_on_a_works_on_b(site):
    a, b = site["a"], site["b"]
    browser = Visitor()
    login = browser.post_form(a, "/accounts/login/", {"username": "teacher", "password": "two-instances-pw"})
    assert login.status == 302, login.text
    pending = browser.get("/pending/", b)
    assert pending.status == 200 and "/accounts/logout/" in pending.text  # signed in on B
    assert Visitor().get("/pending/", b).status == 302  # without the session: sent to log in


def test_the_login_limit_counts_failures_on_both_instances(site):
    a, b = site["a"], site["b"]
    attacker = Visitor()
    for instance in (a, b, a, b, a):  # five failures, spread over both
        wrong = attacker.post_form(instance, "/accounts/login/", {"username": "guarded", "password": "wrong"})
        assert wrong.status == 200
    right = attacker.post_form(b, "/accounts/login/", {"username": "guarded", "password": "two-instances-pw"})
    assert right.status == 429


def test_an_image_uploaded_through_a_is_served_by_b(site):
    a, b = site["a"], site["b"]
    browser = Visitor()
    assert (
        browser.post_form(a, "/accounts/login/", {"username": "teacher", "password": "two-instances-pw"}).status == 302
    )
    png = image_bytes("PNG", size=(12, 9))
    uploaded = browser.post_file(a, "/markdownx/upload/", "image", "board.png", png, "image/png")
    assert uploaded.status == 200, uploaded.text
    url = re.fullmatch(r"!\[\]\((/media/markdownx/[^)]+\.png)\)", json.loads(uploaded.body)["image_code"]).group(1)
    served = Visitor().get(url, b)
    assert served.status == 200 and served.body == png and served.headers["content-type"] == "image/png"


def test_the_load_test_against_both_with_one_killed_loses_no_accepted_write():
    """scripts/loadtest.py --two-instances in small: writers, editors and pollers through a
    round-robin proxy; one instance is SIGKILLed halfway. Only its in-flight requests may 502."""
    database = create_database("load")
    try:
        result = subprocess.run(
            [
                sys.executable,
                "scripts/loadtest.py",
                "--small",
                "--two-instances",
                "--database-url",
                database,
                "--redis-url",
                redis_url(),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        drop_database(database)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(result.stdout[result.stdout.index("{") : result.stdout.rindex("}") + 1])
    two = report["two instances"]
    assert isinstance(two["killed after (s)"], float)  # it was killed while writes were still coming
    assert report["writes accepted (201, distinct keys)"] > 0
    assert report["found exactly once in the database"] == report["writes accepted (201, distinct keys)"]
    assert report["5xx"] == two["502: lost in flight on the killed one"] and two["502: lost on the survivor"] == 0
    assert two["connections refused by the killed one (sent to the survivor)"] > 0
    assert report["transport errors"] == 0 and report["edits lost (silently overwritten)"] == 0
