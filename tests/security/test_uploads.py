"""Images are accepted by their bytes, stored under random names, and served only to those who may see them."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from mspt3.uploads import ImageRejected, ValidatedImageForm, safe_storage_name, store_image, validate_image
from qa.models import NotesImage
from tests.factories import make_cohort, make_user
from tests.security.images import HTML_PAGE, SVG_WITH_SCRIPT, image_bytes


@pytest.mark.parametrize(
    "fmt, content_type, extension",
    [
        ("PNG", "image/png", "png"),
        ("JPEG", "image/jpeg", "jpg"),
        ("GIF", "image/gif", "gif"),
        ("WEBP", "image/webp", "webp"),
    ],
)
def test_each_raster_format_is_recognised_from_its_bytes(fmt, content_type, extension):
    image = validate_image(image_bytes(fmt))
    assert (image.format, image.content_type, image.extension) == (fmt, content_type, extension)
    assert (image.width, image.height) == (8, 6)


@pytest.mark.parametrize(
    "data, reason",
    [
        (SVG_WITH_SCRIPT, "SVG"),
        (HTML_PAGE, "HTML"),
        (b"", "empty"),
        (b"GIF89a<script>alert(1)</script>", "GIF header over script"),
        (image_bytes("PNG")[:40], "truncated PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG signature, no image"),
        (b"%PDF-1.4 not an image", "PDF"),
        (b"BM" + image_bytes("BMP")[2:], "BMP (a real image, but not accepted)"),
    ],
)
def test_anything_but_a_complete_png_jpeg_gif_or_webp_is_rejected(data, reason):
    with pytest.raises(ImageRejected):
        validate_image(data)


def test_an_image_over_the_size_limit_is_rejected_with_the_limit_in_the_message():
    with translation.override("en"), pytest.raises(ImageRejected, match="limit is 100 bytes"):
        validate_image(image_bytes("PNG", size=(200, 200)), max_bytes=100)


def test_an_image_with_too_many_pixels_is_rejected():
    with translation.override("en"), pytest.raises(ImageRejected, match="pixels"):
        validate_image(image_bytes("PNG", size=(8000, 6000), mode="1"))


@pytest.mark.parametrize("folder", ["../etc", "/etc", "notes/../../x", "notes\\..\\x", ""])
def test_storage_names_never_leave_the_media_folder(folder):
    with pytest.raises(ValueError):
        safe_storage_name(folder, "png")


def test_storage_names_are_random_and_use_only_the_validated_extension():
    names = {safe_storage_name("notes", "png") for _ in range(50)}
    assert len(names) == 50
    assert all(name.startswith("notes/") and name.endswith(".png") and ".." not in name for name in names)
    with pytest.raises(ValueError):
        safe_storage_name("notes", "html")


def test_stored_image_lands_inside_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = store_image(validate_image(image_bytes("PNG")), "notes")
    stored = (tmp_path / name).resolve()
    assert stored.is_relative_to(tmp_path.resolve()) and stored.read_bytes() == image_bytes("PNG")


def test_markdownx_form_ignores_the_claimed_type_and_name(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    svg = SimpleUploadedFile("photo.png", SVG_WITH_SCRIPT, content_type="image/png")
    assert not ValidatedImageForm(files={"image": svg}).is_valid()
    png = SimpleUploadedFile("../../evil.svg", image_bytes("PNG"), content_type="image/svg+xml")
    form = ValidatedImageForm(files={"image": png})
    assert form.is_valid(), form.errors
    url = form.save()
    assert url.startswith("/media/markdownx/") and url.endswith(".png") and "evil" not in url
    assert list(tmp_path.rglob("*.png"))[0].resolve().is_relative_to(tmp_path.resolve())


@pytest.fixture
def private_image(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member = make_user("member")
    cohort = make_cohort(public=False, students=[member])
    validated = validate_image(image_bytes("PNG"))
    image = NotesImage(cohort=cohort, original_path="img/secret.png", content_type=validated.content_type)
    image.file.save("ignored.png", ContentFile(validated.content), save=True)
    return image, member


def test_private_cohort_image_is_404_for_anonymous_and_outsiders_and_served_to_members(client, private_image):
    image, member = private_image
    assert client.get(image.get_absolute_url()).status_code == 404
    client.force_login(make_user("stranger"))
    assert client.get(image.get_absolute_url()).status_code == 404
    client.force_login(member)
    response = client.get(image.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")


def test_guessing_image_ids_reveals_nothing_of_a_private_cohort(client, private_image):
    image, _member = private_image
    statuses = {client.get(f"/media/notes/{pk}").status_code for pk in range(1, image.pk + 20)}
    assert statuses == {404}


def test_the_raw_media_folder_is_not_served(client, private_image):
    image, _member = private_image
    assert client.get(f"/media/{image.file.name}").status_code == 404


@pytest.mark.django_db
def test_markdownx_upload_endpoint_refuses_svg_disguised_as_png_and_anonymous_users(client, instructor, cohort):
    disguised = SimpleUploadedFile("board.png", SVG_WITH_SCRIPT, content_type="image/png")
    assert client.post("/markdownx/upload/", {"image": disguised}).status_code in (302, 403)
    client.force_login(instructor)
    disguised.seek(0)
    response = client.post("/markdownx/upload/", {"image": disguised}, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_markdownx_upload_is_refused_to_students(client, student, cohort):
    client.force_login(student)
    upload = SimpleUploadedFile("board.png", image_bytes("PNG"), content_type="image/png")
    assert client.post("/markdownx/upload/", {"image": upload}).status_code == 403


def test_an_image_uploaded_with_the_markdown_editor_is_served_back_from_its_address(client, instructor, cohort):
    client.force_login(instructor)
    upload = SimpleUploadedFile("board.png", image_bytes("PNG"), content_type="image/png")
    response = client.post("/markdownx/upload/", {"image": upload}, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200
    url = response.json()["image_code"].split("](")[1].rstrip(")")
    assert url.startswith("/media/markdownx/")
    client.logout()
    served = client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png" and served["X-Content-Type-Options"] == "nosniff"
    assert b"".join([served.content]) == image_bytes("PNG")


def test_the_editor_image_address_serves_nothing_but_checked_images(client, settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save("markdownx/2026/page.png", ContentFile(b"<svg onload=alert(1)></svg>"))
    assert client.get("/media/markdownx/2026/page.png").status_code == 404
    assert client.get("/media/markdownx/2026/missing.png").status_code == 404
    assert client.get("/media/markdownx/../notes/x.png").status_code == 404
