"""Backups a user can trust: `export_notes --all DIR` → a fresh, empty database → restore → the same site."""

import filecmp
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from notes.importer import import_notes_file
from tests.factories import make_cohort, make_progress, make_question, make_section, make_user
from tests.security.databases import fresh_database_url, suite_uses_postgresql
from tests.security.images import image_bytes

ROOT = Path(__file__).resolve().parents[2]

NOTES = """# MSP T3 - 백업 코호트

## Docker
- 이미지와 컨테이너의 차이? CH02
  - 이미지는 읽기 전용 템플릿
    ```bash
    docker run -it ubuntu
    ```
- 아직 답이 없는 질문
  - ...

### Docker Summary
![](img/board.png)
"""


@pytest.fixture
def site(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    notes = tmp_path / "notes" / "backup.md"
    (notes.parent / "img").mkdir(parents=True)
    (notes.parent / "img" / "board.png").write_bytes(image_bytes("PNG"))
    notes.write_text(NOTES, encoding="utf-8")
    imported = import_notes_file(notes).cohort
    teacher, learner = make_user("teacher"), make_user("learner")
    private = make_cohort("비공개 백업", public=False, instructors=[teacher], students=[learner])
    section = make_section(private, "Kubernetes")
    make_question(section, "파드란?", "- 가장 작은 배포 단위", chapter=9)
    make_question(section, "대기 중 질문", "...")
    make_progress(private, 6, theory=True)
    make_progress(imported, 1, theory=True, lab=True)
    return imported, private


def _fresh_env(tmp_path, name):
    url = fresh_database_url(tmp_path, name)
    if suite_uses_postgresql():
        import psycopg

        db = urlparse(url).path.lstrip("/")
        with psycopg.connect(urlparse(url)._replace(path="/postgres").geturl(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{db}"')
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=url, DJANGO_DEBUG="1", DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_MEDIA_ROOT=str(tmp_path / f"{name}-media"),  # empty: nothing carried over but the archive
    )
    return env


def _manage(env, *args):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _same_tree(left: Path, right: Path):
    comparison = filecmp.dircmp(left, right)
    assert not comparison.left_only and not comparison.right_only, (comparison.left_only, comparison.right_only)
    _match, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    assert not mismatch and not errors, mismatch + errors
    for sub in comparison.common_dirs:
        _same_tree(left / sub, right / sub)


def test_archive_restored_into_an_empty_database_exports_the_same_site(site, tmp_path):
    archive = tmp_path / "archive"
    call_command("export_notes", archive=str(archive), stdout=open(os.devnull, "w"))
    assert {p.name for p in archive.glob("*.md")} == {f"{c.slug}.md" for c in site}
    assert (archive / "img" / "board.png").read_bytes() == image_bytes("PNG")

    env = _fresh_env(tmp_path, "restore")
    _manage(env, "migrate", "--no-input", "-v0")
    _manage(env, "import_notes", "--archive", str(archive))
    again = tmp_path / "again"
    _manage(env, "export_notes", "--all", str(again))
    _same_tree(archive, again)


def test_each_archived_notes_file_reimports_into_an_empty_database_as_the_same_markdown(site, tmp_path):
    archive = tmp_path / "archive"
    call_command("export_notes", archive=str(archive), stdout=open(os.devnull, "w"))
    env = _fresh_env(tmp_path, "reimport")
    _manage(env, "migrate", "--no-input", "-v0")
    for cohort in site:
        _manage(env, "import_notes", str(archive / f"{cohort.slug}.md"), "--cohort", cohort.slug)
        exported = _manage(env, "export_notes", cohort.slug)
        assert exported == (archive / f"{cohort.slug}.md").read_text(encoding="utf-8")
