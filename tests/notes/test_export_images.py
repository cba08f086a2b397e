"""Images uploaded on the site are exported beside the notes as img/<name> (issue 11.3):
in the text, in the API and page zip, and in export_notes --all."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command

from mspt3.uploads import store_image, validate_image
from notes.exporter import export_cohort
from notes.importer import import_notes_file
from tests.api.conftest import client_for
from tests.factories import make_question, make_section
from tests.notes.notes_support import FIXTURES, media_root  # noqa: F401
from tests.security.images import image_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
PNG = image_bytes("PNG")


@pytest.fixture
def uploaded(cohort):
    """A site question whose answer shows an image uploaded with the markdown editor."""
    name = store_image(validate_image(PNG), settings.MARKDOWNX_MEDIA_PATH)
    url = default_storage.url(name)
    assert url.startswith("/media/markdownx/")
    make_question(make_section(cohort, "Docker"), "그림으로 보면?", f"- 이렇게 됩니다.\n\n  ![보드]({url})")
    return name.rsplit("/", 1)[1]


def test_an_uploaded_image_is_written_as_a_relative_img_path(cohort, uploaded):
    text = export_cohort(cohort)
    assert f"![보드](img/{uploaded})" in text and "/media/markdownx/" not in text


@pytest.mark.parametrize("how", [{"format": "zip"}, {"HTTP_ACCEPT": "application/zip"}])
def test_the_api_export_as_zip_carries_the_notes_and_their_images(instructor, cohort, uploaded, how):
    client = client_for(instructor)
    query = {"format": how["format"]} if "format" in how else {}
    headers = {k: v for k, v in how.items() if k.startswith("HTTP_")}
    response = client.get(f"/api/cohorts/{cohort.slug}/notes.md", query, **headers)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted([f"{cohort.slug}.md", f"img/{uploaded}"])
    assert archive.read(f"img/{uploaded}") == PNG
    assert archive.read(f"{cohort.slug}.md").decode() == export_cohort(cohort)
    again = client.get(f"/api/cohorts/{cohort.slug}/notes.md", query, HTTP_IF_NONE_MATCH=response["ETag"], **headers)
    assert again.status_code == 304
    assert client.get(f"/api/cohorts/{cohort.slug}/notes.md")["ETag"] != response["ETag"]


def test_the_notes_download_page_gives_the_zip_too(client, cohort, uploaded):
    response = client.get(f"/cohorts/{cohort.slug}/notes.md?format=zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert f"img/{uploaded}" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()


def test_the_zip_also_carries_images_imported_with_the_notes(staff):
    cohort = import_notes_file(FIXTURES / "images.md").cohort
    names = zipfile.ZipFile(io.BytesIO(client_for(staff).get(
        f"/api/cohorts/{cohort.slug}/notes.md?format=zip").content)).namelist()
    assert {image.original_path.removeprefix("./") for image in cohort.images.all()} <= set(names)


def test_export_all_writes_uploaded_images_beside_the_notes_and_restores_them(cohort, uploaded, tmp_path):
    call_command("export_notes", "--all", str(tmp_path / "archive"), stdout=io.StringIO())
    assert (tmp_path / "archive" / "img" / uploaded).read_bytes() == PNG
    assert f"img/{uploaded}" in (tmp_path / "archive" / f"{cohort.slug}.md").read_text(encoding="utf-8")


def test_the_openapi_document_describes_the_zip_export():
    schema = client_for(None).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/cohorts/{slug}/notes.md"]["get"]
    assert "application/zip" in operation["responses"]["200"]["content"]
    assert any(p["name"] == "format" and p["schema"].get("enum") == ["zip"] for p in operation["parameters"])
