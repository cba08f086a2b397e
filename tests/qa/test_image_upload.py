"""Images pasted or dropped into instructors' boxes: POST /cohorts/<slug>/images/ through the one
image gate (content-checked) and the one access policy (the cohort's instructors and staff)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import make_cohort, make_user

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def png_upload(name="board.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_an_instructor_uploads_an_image_and_gets_its_markdown_line(client, instructor, cohort, media):
    client.force_login(instructor)
    response = client.post(reverse("cohort-image-upload", args=[cohort.slug]), {"image": png_upload()}, **FETCH)
    assert response.status_code == 201
    reply = response.json()
    assert reply["markdown"] == f"![]({reply['url']})"
    stored = list(media.rglob("*.png"))
    assert len(stored) == 1 and "board" not in stored[0].name  # a random name, not the client's


def test_svg_named_png_is_refused_with_the_reason_and_nothing_is_stored(client, instructor, cohort, media):
    client.force_login(instructor)
    svg = SimpleUploadedFile("x.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>",
                             content_type="image/png")
    response = client.post(reverse("cohort-image-upload", args=[cohort.slug]), {"image": svg}, **FETCH)
    assert response.status_code == 400
    assert "PNG" in response.json()["error"] or "image" in response.json()["error"].lower()
    assert not list(media.rglob("*.*"))


def test_no_file_is_a_clear_400(client, instructor, cohort, media):
    client.force_login(instructor)
    response = client.post(reverse("cohort-image-upload", args=[cohort.slug]), {}, **FETCH)
    assert response.status_code == 400 and response.json()["error"]


@pytest.mark.parametrize("who", ["anonymous", "student", "other_instructor"])
def test_only_this_cohorts_instructors_may_upload(client, student, cohort, media, who):
    if who == "student":
        client.force_login(student)
    elif who == "other_instructor":
        elsewhere = make_user("elsewhere")
        make_cohort("남의 반", instructors=[elsewhere])
        client.force_login(elsewhere)
    response = client.post(reverse("cohort-image-upload", args=[cohort.slug]), {"image": png_upload()}, **FETCH)
    assert response.status_code in (403, 404)
    assert not list(media.rglob("*.*"))


def test_staff_may_upload_anywhere(client, staff, cohort, media):
    client.force_login(staff)
    response = client.post(reverse("cohort-image-upload", args=[cohort.slug]), {"image": png_upload()}, **FETCH)
    assert response.status_code == 201


def test_a_private_cohort_is_a_404_to_an_outsider(client, media):
    hidden = make_cohort("비공개 반", public=False, instructors=[make_user("owner")])
    client.force_login(make_user("outsider"))
    response = client.post(reverse("cohort-image-upload", args=[hidden.slug]), {"image": png_upload()}, **FETCH)
    assert response.status_code == 404
