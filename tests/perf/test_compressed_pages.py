"""Shared pages are stored compressed, once per version, and sent in the coding the
browser accepts, each coding with its own ETag, and Vary: Accept-Encoding."""

import gzip

import brotli
import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mspt3.pagecache import accepted_encoding, page_cache, variant_etag
from tests.factories import make_question

pytestmark = pytest.mark.django_db

PAGES = ("cohort", "chapter", "home", "search")


def url_of(kind, cohort):
    return {
        "cohort": reverse("cohort", kwargs={"slug": cohort.slug}),
        "chapter": reverse("chapter", kwargs={"number": 6}),
        "home": reverse("home"),
        "search": reverse("search") + "?q=컨테이너",
    }[kind]


@pytest.fixture
def filled(cohort, section):
    for n in range(40):
        answer = f"- `docker volume inspect` 답 {n}"
        make_question(section, f"CH06 컨테이너 질문 {n}: 볼륨은 어디에 저장되나요?", answer, chapter=6)
    return cohort


@pytest.mark.parametrize("kind", PAGES)
def test_every_coding_carries_the_same_page_with_its_own_etag(filled, kind):
    url = url_of(kind, filled)
    plain = Client().get(url, HTTP_ACCEPT_ENCODING="identity")
    as_gzip = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    as_br = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
    assert plain.status_code == as_gzip.status_code == as_br.status_code == 200
    assert "Content-Encoding" not in plain
    assert as_gzip["Content-Encoding"] == "gzip" and as_br["Content-Encoding"] == "br"
    assert gzip.decompress(as_gzip.content) == plain.content == brotli.decompress(as_br.content)
    assert (filled.title if kind == "home" else "볼륨은 어디에 저장되나요") in plain.content.decode()
    for response in (plain, as_gzip, as_br):
        assert "Accept-Encoding" in response["Vary"]
    assert len({plain["ETag"], as_gzip["ETag"], as_br["ETag"]}) == 3


@pytest.mark.parametrize("kind", PAGES)
def test_a_coding_revalidates_with_its_own_etag_only(filled, kind):
    url = url_of(kind, filled)
    as_gzip = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    again = Client().get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=as_gzip["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == as_gzip["ETag"] and "Accept-Encoding" in again["Vary"]
    # The gzip copy's tag is not the Brotli copy's: that browser gets the bytes it can read.
    other = Client().get(url, HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=as_gzip["ETag"])
    assert other.status_code == 200 and other["Content-Encoding"] == "br"


def test_one_rendering_stores_every_coding_and_a_change_makes_a_new_one(filled, section):
    url = url_of("cohort", filled)
    page_cache().clear()
    Client().get(url, HTTP_ACCEPT_ENCODING="identity")  # renders, compresses, keeps all three
    for coding in ("gzip", "br"):
        with CaptureQueriesContext(connection) as queries:
            Client().get(url, HTTP_ACCEPT_ENCODING=coding)
        assert len(queries) == 0, coding  # the kept head (courses.freshness) and the kept copy: nothing rendered
    first = Client().get(url, HTTP_ACCEPT_ENCODING="br")
    make_question(section, "새 질문?")
    second = Client().get(url, HTTP_ACCEPT_ENCODING="br")
    assert first["ETag"] != second["ETag"]
    assert "새 질문?" in brotli.decompress(second.content).decode()


def test_the_compressed_page_is_a_fraction_of_the_html(filled):
    url = url_of("cohort", filled)
    plain = Client().get(url, HTTP_ACCEPT_ENCODING="identity").content
    assert len(Client().get(url, HTTP_ACCEPT_ENCODING="gzip").content) <= 0.2 * len(plain)
    assert len(Client().get(url, HTTP_ACCEPT_ENCODING="br").content) <= 0.2 * len(plain)


def test_a_signed_in_visitors_page_is_never_compressed_beside_their_tokens(client, filled, instructor):
    client.force_login(instructor)
    response = client.get(url_of("cohort", filled), HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200 and "Content-Encoding" not in response
    assert "csrfmiddlewaretoken" in response.content.decode()


@pytest.mark.parametrize(("header", "chosen"), [
    ("", ""),
    ("identity", ""),
    ("gzip", "gzip"),
    ("GZIP", "gzip"),
    ("gzip, deflate, br", "br"),
    ("br;q=0, gzip;q=0.5", "gzip"),
    ("br;q=0.0,gzip;q=0", ""),
    ("*", "br"),
    ("*;q=1, br;q=0", "gzip"),
    ("gzip;q=nonsense, br;q=", ""),
    ("deflate, compress", ""),
])
def test_accepted_encoding_reads_the_header_as_rfc_9110_says(header, chosen):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=header)
    assert accepted_encoding(request) == chosen


def test_variant_etags_differ_by_coding_and_the_plain_one_is_the_pages_own():
    assert variant_etag('"abc"', "") == '"abc"'
    assert variant_etag('"abc"', "gzip") == '"abc-gzip"'
    assert variant_etag('"abc"', "br") == '"abc-br"'
