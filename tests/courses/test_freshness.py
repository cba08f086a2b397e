"""courses.freshness: an anonymous visitor's kept cohort head is used only while nothing
can have written the cohorts table — this process by any write path, another process by
any commit (told by the database itself) — and never when the watch cannot tell."""

import sqlite3
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from courses import freshness
from courses.changes import announce
from courses.models import Cohort
from courses.poll_lookup import visible_cohort
from tests.factories import make_cohort

COLUMNS = ("pk", "slug", "is_public", "version", "updated_at")
ANONYMOUS = AnonymousUser()


def lookup(slug):
    """The head and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        head = visible_cohort(ANONYMOUS, slug, COLUMNS)
    return head, len(queries)


def kept(cohort):
    lookup(cohort.slug)
    head, queries = lookup(cohort.slug)
    assert queries == 0 and head.pk == cohort.pk
    return head


@pytest.mark.django_db
@pytest.mark.parametrize(
    "write",
    [
        lambda c: Cohort.objects.filter(pk=c.pk).update(is_public=False),
        lambda c: (setattr(c, "is_public", False), c.save()),
        lambda c: Cohort.objects.bulk_update([Cohort(pk=c.pk, slug=c.slug, is_public=False)], ["is_public"]),
        lambda c: c.delete(),
    ],
    ids=["queryset-update", "save", "bulk-update", "delete"],
)
def test_a_kept_head_is_dropped_by_every_write_path_of_this_process(write):
    cohort = make_cohort("보이는 코호트", public=True, slug="fresh-a")
    kept(cohort)
    write(cohort)
    with pytest.raises(Http404):
        visible_cohort(ANONYMOUS, "fresh-a", COLUMNS)


@pytest.mark.django_db
def test_an_announced_change_gives_the_new_version_at_once():
    cohort = make_cohort("바뀌는 코호트", public=True, slug="fresh-b")
    before = kept(cohort).version
    announce(cohort)
    head, queries = lookup("fresh-b")
    assert queries == 1 and head.version == before + 1


@pytest.mark.django_db
def test_a_new_cohort_under_a_slug_that_was_missing_is_found():
    with pytest.raises(Http404):
        visible_cohort(ANONYMOUS, "fresh-later", COLUMNS)
    make_cohort("나중 코호트", public=True, slug="fresh-later")
    assert visible_cohort(ANONYMOUS, "fresh-later", COLUMNS).slug == "fresh-later"


@pytest.mark.django_db
def test_nothing_is_kept_inside_a_transaction_the_code_opened():
    from django.db import transaction

    cohort = make_cohort("트랜잭션 코호트", public=True, slug="fresh-c")
    with transaction.atomic():
        lookup("fresh-c")
        assert lookup("fresh-c")[1] == 1  # its reads may be its own uncommitted writes
    kept(cohort)


def test_sqlite_data_version_moves_with_another_connections_commit_and_the_file_is_checked(tmp_path):
    path = tmp_path / "watched.sqlite3"
    writer = sqlite3.connect(path)
    writer.execute("create table t (x)")
    writer.commit()
    watch = freshness.SQLiteWatch(str(path))
    first = watch.token()
    assert watch.token() == first  # nothing committed
    writer.execute("insert into t values (1)")
    assert watch.token() == first  # not yet committed
    writer.commit()
    second = watch.token()
    assert second != first
    writer.close()
    path.rename(tmp_path / "moved.sqlite3")
    with pytest.raises(FileNotFoundError):  # the file is gone: the watch can no longer tell
        watch.token()
    watch.close()


@pytest.mark.integration
def test_served_by_two_workers_a_commit_of_another_process_reaches_what_they_keep(tmp_path):
    """gunicorn with two workers; every request on a new connection, so both keep the heads,
    the search page's key and the page. Another process (manage.py shell, as the admin, the
    importer or psql would be) makes a cohort private, announces a change of another, and
    changes a glossary term in plain SQL, past the ORM and any signal; it commits. The next
    requests of both workers see all three at once: the database told them."""
    from tests.security.served import ServedSite

    site = ServedSite(tmp_path, "freshness", workers=2, setup=(
        "from search.models import GlossaryTerm; from tests.factories import make_cohort, make_question, "
        "make_section; make_cohort('감시 A', public=True, slug='watch-a'); "
        "GlossaryTerm.objects.create(key='zebrafish', spellings='zebrafish'); "
        "make_question(make_section(make_cohort('감시 B', public=True, slug='watch-b')), "
        "'zebrafish 실험은?', '- 실험실')"
    ))
    search = "/search/?q=%EC%96%BC%EB%A3%A9%EB%AC%BC%EA%B3%A0%EA%B8%B0"  # 얼룩물고기, a spelling not yet known
    try:
        tags = {}
        for _ in range(6):
            for slug in ("watch-a", "watch-b"):
                status, headers, _body = site.request("GET", f"/cohorts/{slug}/live/")
                assert status == 200
                tags[slug] = headers["etag"][0]
                assert site.request("GET", f"/cohorts/{slug}/live/", headers={"If-None-Match": tags[slug]})[0] == 304
            status, _headers, body = site.request("GET", search)
            assert status == 200 and "zebrafish 실험은" not in body
        site.manage("shell", "-c", (
            "from datetime import timedelta; from django.db import connection; from django.utils import timezone; "
            "from courses.models import Cohort; from courses.changes import announce; "
            "c = Cohort.objects.get(slug='watch-a'); c.is_public = False; c.save(); "
            "announce(Cohort.objects.get(slug='watch-b')); "
            "connection.cursor().execute('UPDATE search_glossaryterm SET spellings = %s, updated_at = %s "
            "WHERE key = %s', ['zebrafish\\n얼룩물고기', timezone.now() + timedelta(seconds=5), 'zebrafish'])"
        ))
        for _ in range(6):
            assert site.request("GET", "/cohorts/watch-a/")[0] == 404
            assert site.request("GET", "/cohorts/watch-a/live/", headers={"If-None-Match": tags["watch-a"]})[0] == 404
            status, headers, _body = site.request(
                "GET", "/cohorts/watch-b/live/", headers={"If-None-Match": tags["watch-b"]}
            )
            assert status == 200 and headers["etag"][0] != tags["watch-b"]
            status, _headers, body = site.request("GET", search)
            assert status == 200 and "<mark>zebrafish</mark> 실험은" in body
    finally:
        site.stop()


@pytest.mark.django_db(transaction=True)
def test_when_its_watch_fails_every_lookup_asks_the_database(tmp_path):
    cohort = make_cohort("감시 없음", public=True, slug="fresh-e")
    kept(cohort)
    _break_the_watch(tmp_path)
    try:
        # The end of a connection reaches its socket a moment later: the watch says so within a second.
        for _ in range(100):
            if freshness.token() is None:
                break
            time.sleep(0.01)
        assert freshness.token() is None  # "cannot tell", and not tried again at once
        assert lookup("fresh-e")[1] == 1 and lookup("fresh-e")[1] == 1
    finally:
        freshness._failed_until.clear()
    kept(cohort)  # a new watch, a new series of tokens


def _break_the_watch(tmp_path):
    """This process's watch fails as it would for real: PostgreSQL ends its connection
    (a restart); on SQLite its database file is taken away (the suite's own database is
    in memory, so a watch of a file stands in for it)."""
    freshness.token()
    if connection.vendor == "postgresql":
        pid = freshness._watches["default"].db.info.backend_pid
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])  # waits until it has ended
            assert cursor.fetchone()[0], "the watch's backend did not end"
        return
    path = tmp_path / "watched.sqlite3"
    sqlite3.connect(path).close()
    watch = freshness.SQLiteWatch(str(path))
    current = freshness._watches["default"]
    watch.pid, watch.epoch = current.pid, current.epoch
    freshness._watches["default"] = watch
    path.unlink()


@pytest.mark.django_db
def test_the_home_page_asks_nothing_again_until_a_cohort_is_added():
    from django.test import Client

    make_cohort("첫 코호트", public=True, slug="home-a")
    Client().get("/")
    with CaptureQueriesContext(connection) as queries:
        assert "첫 코호트" in Client().get("/").content.decode()
    assert len(queries) == 0
    make_cohort("새 코호트", public=True, slug="home-b")
    assert "새 코호트" in Client().get("/").content.decode()


@pytest.mark.django_db
def test_a_search_asked_again_asks_nothing_until_a_glossary_term_changes():
    from django.test import Client

    from search.models import GlossaryTerm

    make_cohort("검색 코호트", public=True, slug="search-a")
    Client().get("/search/", {"q": "볼륨"})
    with CaptureQueriesContext(connection) as queries:
        assert Client().get("/search/", {"q": "볼륨"}).status_code == 200
    assert len(queries) == 0
    term = GlossaryTerm.objects.create(key="zqfresh", spellings="freshterm\n프레시")
    with CaptureQueriesContext(connection) as queries:
        Client().get("/search/", {"q": "볼륨"})
    assert len(queries) > 0  # the glossary's version is read again, so is the page's key
    Client().get("/search/", {"q": "볼륨"})
    term.chapters.set([1])
    with CaptureQueriesContext(connection) as queries:
        Client().get("/search/", {"q": "볼륨"})
    assert len(queries) > 0
