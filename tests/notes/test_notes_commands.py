"""import_notes / export_notes / load_demo from the command line, and the admin upload."""

import json
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from courses.models import Cohort
from qa.models import NotesImage, Question
from tests.factories import make_user
from tests.notes.notes_support import DEMO_FILE, FIXTURES, db_state, media_root, read  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_notes_prints_a_summary_per_file():
    out, _ = run("import_notes", str(FIXTURES / "variants.md"), str(FIXTURES / "qa_parent.md"))
    assert "msp-t3-99-1차-scp-track: created" in out and "7 added" in out
    assert "images: 2 copied" in out
    assert Cohort.objects.count() == 2


def test_import_notes_with_cohort_and_private():
    run("import_notes", str(FIXTURES / "variants.md"), "--cohort", "my-class", "--private")
    assert not Cohort.objects.get(slug="my-class").is_public


def test_cohort_option_with_several_files_is_refused():
    with pytest.raises(CommandError, match="single FILE"):
        run("import_notes", str(FIXTURES / "variants.md"), str(FIXTURES / "qa_parent.md"), "--cohort", "x")
    assert not Cohort.objects.exists()


def test_bad_file_exits_non_zero_with_one_line_and_changes_nothing(tmp_path):
    run("import_notes", str(FIXTURES / "variants.md"))
    before = db_state()
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(CommandError) as raised:
        run("import_notes", str(bad))
    assert str(raised.value) == f"{bad}: not UTF-8 text (invalid byte at offset 0)"
    assert db_state() == before


def test_a_failing_file_among_several_keeps_the_others_and_exits_non_zero(tmp_path):
    with pytest.raises(CommandError, match="1 of 3 files were not imported"):
        run("import_notes", str(FIXTURES / "variants.md"), str(tmp_path / "no.md"), str(FIXTURES / "qa_parent.md"))
    assert Cohort.objects.count() == 2


def test_import_notes_dry_run_writes_nothing():
    out, _ = run("import_notes", str(FIXTURES / "variants.md"), "--dry-run")
    assert "would be created (dry run, nothing written)" in out
    assert not Cohort.objects.exists()


def test_the_command_exit_status_is_non_zero_on_bad_input(tmp_path):
    import subprocess
    import sys

    from django.conf import settings

    empty = tmp_path / "empty.md"
    empty.write_text("")
    result = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "import_notes", str(empty), "--dry-run"],
        capture_output=True, text=True, env={"DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin"},
        cwd=settings.BASE_DIR, check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == f"CommandError: {empty}: empty: no notes in it"
    assert result.stderr.count("no notes in it") == 1  # said once, not "error: …" and then "CommandError: …"


def test_export_notes_to_stdout_and_to_a_file(tmp_path):
    run("import_notes", str(FIXTURES / "variants.md"), "--cohort", "v")
    out, _ = run("export_notes", "v")
    assert out == read(FIXTURES / "variants.md")
    run("export_notes", "v", "-o", str(tmp_path / "v.md"))
    assert (tmp_path / "v.md").read_text(encoding="utf-8") == out


def test_export_notes_unknown_slug_fails():
    with pytest.raises(CommandError, match="no cohort with slug 'nope'"):
        run("export_notes", "nope")


def test_export_all_then_import_gives_back_the_same_cohorts(tmp_path):
    run("import_notes", str(FIXTURES / "variants.md"), str(FIXTURES / "qa_parent.md"))
    archive = tmp_path / "archive"
    run("export_notes", "--all", str(archive))
    names = sorted(p.name for p in archive.glob("*.md"))
    assert names == ["docker-kubernetes-노트-msp-t2-24-9차.md", "msp-t3-99-1차-scp-track.md"]
    assert (archive / "img" / "port_menu.png").read_bytes() == (FIXTURES / "img" / "port_menu.png").read_bytes()
    dumped = {row["model"] for row in json.loads((archive / "dump.json").read_text())}
    assert {"courses.cohort", "qa.question", "curriculum.progress", "qa.section"} <= dumped
    before = {c.slug: read_export(c) for c in Cohort.objects.all()}
    images = sorted(NotesImage.objects.values_list("cohort__slug", "original_path"))

    Cohort.objects.all().delete()
    NotesImage.objects.all().delete()
    run("import_notes", *[str(p) for p in sorted(archive.glob("*.md"))])
    assert {c.slug: read_export(c) for c in Cohort.objects.all()} == before
    assert sorted(NotesImage.objects.values_list("cohort__slug", "original_path")) == images


def read_export(cohort):
    from notes.exporter import export_cohort

    return export_cohort(cohort)


def test_load_demo_imports_the_projects_notes_file_and_rerunning_syncs():
    run("load_demo")
    demo = Cohort.objects.get(slug="demo")
    questions = Question.objects.filter(section__cohort=demo)
    assert questions.count() == 18 and questions.pending().count() == 4
    assert [s.title for s in demo.sections.order_by("position")] == ["Docker", "Kubernetes", "Helm"]
    four = demo.progress.get(chapter__number=4)
    assert four.theory_done and not four.lab_done
    assert NotesImage.objects.filter(cohort=demo).count() == 1
    ids = sorted(questions.values_list("pk", flat=True))
    out, _ = run("load_demo")
    assert "demo: synced" in out and sorted(questions.values_list("pk", flat=True)) == ids
    assert read_export(demo) == read(DEMO_FILE)


class TestAdminImport:
    url = "/admin/courses/cohort/import-notes/"

    def test_staff_uploads_a_notes_file_and_lands_on_the_cohort(self, client):
        client.force_login(make_user("boss", staff=True))
        upload = SimpleUploadedFile("notes.md", (FIXTURES / "variants.md").read_bytes(), "text/markdown")
        response = client.post(self.url, {"notes": upload, "cohort": "uploaded"})
        cohort = Cohort.objects.get(slug="uploaded")
        assert response.status_code == 302 and response["Location"].endswith(f"/cohort/{cohort.pk}/change/")
        assert Question.objects.filter(section__cohort=cohort).count() == 7

    def test_bad_upload_shows_the_error_and_changes_nothing(self, client):
        client.force_login(make_user("boss", staff=True))
        before = db_state()
        upload = SimpleUploadedFile("notes.md", b"\x00\x01binary", "text/markdown")
        response = client.post(self.url, {"notes": upload})
        assert response.status_code == 200 and "binary content (NUL bytes)" in response.text
        assert db_state() == before

    def test_non_staff_cannot_reach_the_upload(self, client):
        client.force_login(make_user("teacher"))
        response = client.get(self.url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]

    def test_changelist_links_to_the_upload(self, client):
        client.force_login(make_user("boss", staff=True))
        assert self.url in client.get("/admin/courses/cohort/").text


def test_fixture_folder_can_be_copied_and_imported_elsewhere(tmp_path):
    """Images are resolved relative to the notes file, wherever it lives."""
    shutil.copytree(FIXTURES, tmp_path / "copy")
    report = run("import_notes", str(tmp_path / "copy" / "qa_parent.md"))
    assert "images: 2 copied" in report[0]
