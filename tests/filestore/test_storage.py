"""DatabaseStorage (DJANGO_MEDIA_STORAGE=database): file contents in the database, so
every replica serves the same images. The storage API, then the site's two image paths
(notes import, markdown upload) through it, on the real database."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from filestore.models import StoredFile
from filestore.storage import DatabaseStorage
from notes.importer import import_notes_file
from qa.models import NotesImage
from tests.notes.notes_support import FIXTURES
from tests.security.images import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_storage(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "filestore.storage.DatabaseStorage"}}
    assert isinstance(default_storage, DatabaseStorage)
    return default_storage


def test_saved_bytes_come_back_with_their_size_and_url():
    storage = DatabaseStorage()
    name = storage.save("notes/2026/board.png", ContentFile(b"\x89PNG-bytes"))
    assert name == "notes/2026/board.png"
    assert storage.exists(name) and storage.size(name) == 10
    with storage.open(name) as stored:
        assert stored.read() == b"\x89PNG-bytes"
    assert storage.url(name) == "/media/notes/2026/board.png"
    assert storage.get_modified_time(name) == StoredFile.objects.get(name=name).created_at


def test_a_taken_name_is_never_overwritten():
    storage = DatabaseStorage()
    first = storage.save("notes/x.png", ContentFile(b"first"))
    second = storage.save("notes/x.png", ContentFile(b"second"))
    assert first != second and second.startswith("notes/x_") and second.endswith(".png")
    assert storage.open(first).read() == b"first" and storage.open(second).read() == b"second"


def test_a_missing_file_is_file_not_found_and_delete_removes_it():
    storage = DatabaseStorage()
    with pytest.raises(FileNotFoundError):
        storage.open("nope.png")
    with pytest.raises(FileNotFoundError):
        storage.size("nope.png")
    name = storage.save("gone.png", ContentFile(b"x"))
    storage.delete(name)
    assert not storage.exists(name) and StoredFile.objects.count() == 0


def test_files_are_not_opened_for_writing():
    storage = DatabaseStorage()
    name = storage.save("a.png", ContentFile(b"x"))
    with pytest.raises(ValueError, match="save"):
        storage.open(name, "wb")
    assert storage.open(name).read() == b"x"


def test_listdir_lists_one_level():
    storage = DatabaseStorage()
    for name in ("notes/2025/a.png", "notes/2026/b.png", "notes/c.png", "markdownx/d.png"):
        storage.save(name, ContentFile(b"x"))
    assert storage.listdir("notes") == (["2025", "2026"], ["c.png"])
    assert storage.listdir("") == (["markdownx", "notes"], [])


def test_imported_notes_images_are_stored_in_the_database_and_served_from_it(database_storage, client, settings):
    report = import_notes_file(FIXTURES / "qa_parent.md")
    assert report.images_copied == 2
    image = NotesImage.objects.get(cohort=report.cohort, original_path="./img/port_menu.png")
    stored = StoredFile.objects.get(name=image.file.name)
    assert bytes(stored.content) == (FIXTURES / "img" / "port_menu.png").read_bytes()
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.png"))  # nothing on disk
    response = client.get(image.get_absolute_url())
    assert response.status_code == 200 and b"".join(response.streaming_content) == bytes(stored.content)


def test_an_instructors_upload_is_stored_in_the_database_and_served_from_it(
    database_storage, client, instructor, cohort
):
    client.force_login(instructor)
    png = image_bytes("PNG", size=(5, 4))
    response = client.post(
        "/markdownx/upload/",
        {"image": SimpleUploadedFile("board.png", png, content_type="image/png")},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 200
    url = response.json()["image_code"][len("![](") : -1]
    (stored,) = StoredFile.objects.all()
    assert url == "/media/" + stored.name and bytes(stored.content) == png
    client.logout()
    served = client.get(url)
    assert served.status_code == 200 and served.content == png and served["Content-Type"] == "image/png"


def test_an_import_that_fails_after_storing_images_leaves_none_behind(database_storage, monkeypatch):
    from notes import import_write

    def broken(plan, snapshot, cohort):
        raise RuntimeError("disk full")

    # The last write of the import's transaction fails, after its images were prepared.
    monkeypatch.setattr(import_write, "_schedule", broken)
    with pytest.raises(RuntimeError):
        import_notes_file(FIXTURES / "qa_parent.md")
    assert StoredFile.objects.count() == 0 and NotesImage.objects.count() == 0


def test_the_content_is_kept_as_bytes_even_when_given_text():
    name = DatabaseStorage().save("t.txt", ContentFile("한글"))
    assert bytes(StoredFile.objects.get(name=name).content) == "한글".encode()
    assert io.BytesIO(DatabaseStorage().open(name).read()).read().decode() == "한글"
