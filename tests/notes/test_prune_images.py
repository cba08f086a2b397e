"""``manage.py prune_images``: what no notes show any more is listed (dry run) or deleted (issue 11.6)."""

import os
import shutil
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from filestore.models import StoredFile
from mspt3.uploads import store_image, validate_image
from notes.importer import import_notes_file
from qa.models import NotesImage
from tests.factories import make_question, make_section
from tests.notes.notes_support import FIXTURES
from tests.security.images import image_bytes

pytestmark = pytest.mark.django_db
PNG = image_bytes("PNG")


@pytest.fixture(params=["filesystem", "database"])
def storage(request, settings, tmp_path):
    """Both media storages the site ships: files on disk, or rows in the database."""
    if request.param == "database":
        settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "filestore.storage.DatabaseStorage"}}
    else:
        settings.MEDIA_ROOT = tmp_path / "media"
    return request.param


@pytest.fixture
def notes_folder(tmp_path):
    """A notes file showing two images, with both beside it."""
    folder = tmp_path / "notes"
    (folder / "img").mkdir(parents=True)
    shutil.copy(FIXTURES / "img" / "port_menu.png", folder / "img")
    shutil.copy(FIXTURES / "img" / "port_result.png", folder / "img")
    (folder / "two-images.md").write_text(
        "# MSP T3 - 그림 둘\n\n## Docker\n\n"
        "- 포트 메뉴는 어디에?\n  - 여기입니다.\n\n    ![](img/port_menu.png)\n"
        "- 결과는?\n  - 이렇게 나옵니다.\n\n    ![](img/port_result.png)\n",
        encoding="utf-8",
    )
    return folder / "two-images.md"


def prune(*args) -> str:
    out = StringIO()
    call_command("prune_images", *args, stdout=out)
    return out.getvalue()


def backdate(name: str, days: float) -> str:
    """Make a stored file ``days`` old, in whichever storage holds it."""
    when = timezone.now() - timedelta(days=days)
    if isinstance(default_storage._wrapped, FileSystemStorage):
        os.utime(default_storage.path(name), (when.timestamp(), when.timestamp()))
    else:
        StoredFile.objects.filter(name=name).update(created_at=when)
    return name


def upload(days_ago: float = 0) -> str:
    return backdate(store_image(validate_image(PNG), settings.MARKDOWNX_MEDIA_PATH), days_ago)


def stored_names():
    return sorted(name for name in [*_walk("notes/"), *_walk(settings.MARKDOWNX_MEDIA_PATH)])


def _walk(folder):
    try:
        directories, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    return [folder + f for f in files] + [n for d in directories for n in _walk(f"{folder}{d}/")]


def test_nothing_is_listed_while_the_notes_show_every_image(storage, notes_folder):
    import_notes_file(notes_folder)
    assert NotesImage.objects.count() == 2
    assert prune().strip() == "0 unreferenced image(s); nothing deleted (dry run: --delete removes them)."


def test_an_image_the_site_edited_away_is_listed_then_deleted_with_its_file(storage, notes_folder):
    cohort = import_notes_file(notes_folder).cohort
    question = cohort.sections.get().questions.get(question="결과는?")
    question.answer = "- 이제 그림 없이 설명합니다."
    question.save()
    gone = NotesImage.objects.get(original_path="img/port_result.png")
    kept = NotesImage.objects.get(original_path="img/port_menu.png")
    before = stored_names()

    listing = prune()
    assert f"unused   {cohort.slug} · img/port_result.png ({gone.file.name})" in listing
    assert "1 unreferenced image(s); nothing deleted" in listing
    assert stored_names() == before and NotesImage.objects.count() == 2  # a dry run changes nothing

    assert "1 unreferenced image(s) deleted." in prune("--delete")
    assert list(NotesImage.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not default_storage.exists(gone.file.name) and default_storage.exists(kept.file.name)
    assert stored_names() == sorted(set(before) - {gone.file.name})


def test_uploads_are_kept_while_linked_or_young_and_listed_when_stray(storage, cohort):
    linked = upload(days_ago=30)
    make_question(make_section(cohort), "그림은?", f"- 보세요\n\n  ![]({default_storage.url(linked)})")
    stray = upload(days_ago=2)
    young = upload(days_ago=0.5)  # dropped into a form a moment ago, maybe not saved yet

    listing = prune()
    assert f"stray    {stray} (no notes show it)" in listing
    assert linked not in listing and young not in listing
    assert "1 unreferenced image(s)" in listing

    assert f"stray    {young}" in prune("--grace-hours", "0")  # the grace is what kept it

    prune("--delete")
    assert default_storage.exists(linked) and default_storage.exists(young)
    assert not default_storage.exists(stray)


def test_a_file_no_row_names_is_stray_and_a_row_without_its_file_is_reported_not_deleted(storage, notes_folder):
    cohort = import_notes_file(notes_folder).cohort
    leftover = backdate(default_storage.save("notes/2026/leftover.png", ContentFile(PNG)), days=3)
    lost = NotesImage.objects.get(original_path="img/port_menu.png")
    default_storage.delete(lost.file.name)

    listing = prune("--delete")
    assert f"stray    {leftover} (no notes show it)" in listing
    assert f"missing  {cohort.slug} · img/port_menu.png ({lost.file.name})" in listing
    assert "1 unreferenced image(s) deleted, 1 with a missing file." in listing
    assert not default_storage.exists(leftover)
    assert NotesImage.objects.filter(pk=lost.pk).exists()  # its notes still show it: re-import restores it


@pytest.mark.parametrize("hours", ["-1", str(24 * 366)])
def test_a_grace_out_of_range_is_refused_and_nothing_is_touched(storage, cohort, hours):
    stray = upload(days_ago=30)
    with pytest.raises(CommandError, match="--grace-hours must be between 0 and 8760"):
        call_command("prune_images", "--delete", "--grace-hours", hours)
    assert default_storage.exists(stray)
