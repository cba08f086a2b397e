"""A .zip of a notes folder in the admin and the API import: the images come along, with the
command's safety rules (paths inside the archive only, content-checked images, size limits)."""

import io
import stat
import zipfile
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from courses.models import Cohort
from qa.models import NotesImage
from tests.factories import make_user

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notes"
ADMIN_URL = "/admin/courses/cohort/import-notes/"


def archive(files, links=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for name, data in files.items():
            zipped.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zipped.writestr(info, "/etc/passwd")
    return SimpleUploadedFile("notes.zip", buffer.getvalue(), "application/zip")


def notes_folder():
    text = "# 압축한 노트\n\n## Docker\n\n- 포트 메뉴는?\n  ![](img/port_menu.png)\n  ![](./img/port_result.png)\n"
    files = {"notes/notes.md": text}
    for name in ("port_menu.png", "port_result.png"):
        files[f"notes/img/{name}"] = (FIXTURES / "img" / name).read_bytes()
    return files


@pytest.fixture
def staff_client(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_user("boss", staff=True))
    return client


def test_the_admin_imports_a_zipped_notes_folder_with_its_images(staff_client):
    response = staff_client.post(ADMIN_URL, {"notes": archive(notes_folder()), "cohort": "zipped"})
    cohort = Cohort.objects.get(slug="zipped")
    assert response.status_code == 302
    assert NotesImage.objects.filter(cohort=cohort).count() == 2
    [message] = list(get_messages(response.wsgi_request))
    assert '<ul class="import-summary">' in message.message and "image missing" not in message.message
    assert message.level_tag == "success"


def test_a_plain_upload_without_its_images_warns_in_a_list(staff_client):
    upload = SimpleUploadedFile("images.md", (FIXTURES / "images.md").read_bytes(), "text/markdown")
    response = staff_client.post(ADMIN_URL, {"notes": upload, "cohort": "plain"})
    [message] = list(get_messages(response.wsgi_request))
    assert message.level_tag == "warning"
    assert '<li class="import-warning">image missing' in message.message


@pytest.mark.parametrize(
    "files,links,reason",
    [
        ({"notes.md": "# T\n\n## Docker\n\n- q\n", "../evil.png": b"x"}, (), "outside its folder"),
        ({"notes.md": "# T\n\n## Docker\n\n- q\n", "/abs.png": b"x"}, (), "outside its folder"),
        ({"notes.md": "# T\n\n## Docker\n\n- q\n"}, ("img/link.png",), "link"),
        ({"a.md": "# A\n", "b.md": "# B\n"}, (), "one notes file"),
        ({"img/x.png": b"x"}, (), "one notes file"),
    ],
)
def test_unsafe_or_unclear_archives_are_refused_and_nothing_changes(staff_client, files, links, reason, tmp_path):
    response = staff_client.post(ADMIN_URL, {"notes": archive(files, links), "cohort": "bad"})
    assert response.status_code == 200 and reason in response.text
    assert not Cohort.objects.exists() and not list(tmp_path.rglob("*.png"))


def test_an_image_that_is_not_one_is_refused_by_content(staff_client):
    files = {"notes.md": "# T\n\n## Docker\n\n- q\n  ![](img/fake.png)\n", "img/fake.png": b"<svg></svg>"}
    response = staff_client.post(ADMIN_URL, {"notes": archive(files), "cohort": "fake"})
    [message] = list(get_messages(response.wsgi_request))
    assert message.level_tag == "warning" and "image refused" in message.message
    assert not NotesImage.objects.exists()


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(staff_client, settings):
    settings.MSPT3_IMAGE_MAX_BYTES = 1000
    settings.NOTES_MAX_BYTES = 1000
    files = {"notes.md": "# T\n\n## Docker\n\n- q\n", "img/big.png": b"\0" * 100_000}
    response = staff_client.post(ADMIN_URL, {"notes": archive(files), "cohort": "bomb"})
    assert response.status_code == 200 and "unpacks to" in response.text, response.text[-3000:]
    assert not Cohort.objects.exists()


def test_the_api_import_takes_a_zip_too(client, settings, tmp_path):
    from rest_framework.test import APIClient

    from tests.factories import make_cohort

    settings.MEDIA_ROOT = tmp_path
    teacher = make_user("teacher")
    cohort = make_cohort("API 반", instructors=[teacher])
    api = APIClient()
    api.force_authenticate(teacher)
    response = api.post(f"/api/cohorts/{cohort.slug}/notes.md", {"file": archive(notes_folder())}, format="multipart")
    assert response.status_code == 200, response.json()
    assert response.json()["images_missing"] == [] and NotesImage.objects.filter(cohort=cohort).exists()


@override_settings(NOTES_MAX_BYTES=100)
def test_the_api_refuses_an_oversized_plain_file_with_413_naming_the_limits(client):
    from rest_framework.test import APIClient

    from tests.factories import make_cohort

    teacher = make_user("teacher")
    cohort = make_cohort("API 반", instructors=[teacher])
    api = APIClient()
    api.force_authenticate(teacher)
    upload = SimpleUploadedFile("n.md", b"# T\n" + b"x" * 200, "text/markdown")
    response = api.post(f"/api/cohorts/{cohort.slug}/notes.md", {"file": upload}, format="multipart")
    assert response.status_code == 413 and "100" in str(response.json())
