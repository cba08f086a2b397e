"""An import killed with SIGKILL leaves no image file without its row (issue 11.6).

``manage.py import_notes`` runs in a subprocess against a database of its own (a
SQLite file, or a PostgreSQL database when the suite runs on PostgreSQL) and is
killed at a moment the test observes, not guesses: while it holds its write
transaction, and while it stores the image files after the commit.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.deploy.instances import create_database, drop_database
from tests.notes.notes_support import FIXTURES

IMAGES, QUESTIONS = 120, 600
SLUG = "killed-import"


def _notes_folder(folder: Path) -> Path:
    (folder / "img").mkdir(parents=True)
    png = (FIXTURES / "img" / "port_menu.png").read_bytes()
    lines = ["# MSP T3 - 중단된 가져오기\n", "## Docker\n"]
    for n in range(QUESTIONS):
        lines.append(f"- 질문 {n}: 컨테이너 {n}번은 어떻게 되나요?\n  - 답 {n}: 이렇게 됩니다.\n")
        if n < IMAGES:
            (folder / "img" / f"shot_{n}.png").write_bytes(png)
            lines.append(f"\n    ![](img/shot_{n}.png)\n")
    (folder / "killed.md").write_text("\n".join(lines), encoding="utf-8")
    return folder / "killed.md"


class Site:
    """A migrated database and a media folder for one subprocess import."""

    def __init__(self, tmp_path: Path):
        self.media = tmp_path / "media"
        if connection.vendor == "postgresql":
            self.url = create_database("killed")
            self.sqlite_path = None
        else:
            self.sqlite_path = tmp_path / "site.sqlite3"
            self.url = f"sqlite:///{self.sqlite_path}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))},
            "DJANGO_DEBUG": "1", "DATABASE_URL": self.url, "DJANGO_MEDIA_ROOT": str(self.media),
        }
        self.manage("migrate", "-v0")

    def manage(self, *args):
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=self.env,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def start_import(self, notes: Path) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "manage.py", "import_notes", "--cohort", SLUG, str(notes)],
                                cwd=settings.BASE_DIR, env=self.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def holds_write_transaction(self) -> bool:
        """Whether the importer is inside its write transaction, asked of the database itself."""
        if self.sqlite_path is not None:
            probe = sqlite3.connect(self.sqlite_path, timeout=0)
            try:
                probe.execute("BEGIN IMMEDIATE")  # the importer's transaction holds SQLite's write lock
                probe.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:
                return True
            finally:
                probe.close()
        with psycopg.connect(self.url, autocommit=True) as probe:
            return probe.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
            ).fetchone()[0] > 0

    def query(self, sql: str):
        if self.sqlite_path is not None:
            with sqlite3.connect(self.sqlite_path) as db:
                return db.execute(sql).fetchall()
        with psycopg.connect(self.url, autocommit=True) as db:
            return db.execute(sql).fetchall()

    def stored_files(self) -> set[str]:
        """The image files in storage; the importer's empty ``.probe-`` file (written and removed
        before the transaction, to fail early on unwritable storage) is not an image."""
        folder = self.media / "notes"
        return {
            path.relative_to(self.media).as_posix()
            for path in folder.rglob("*") if path.is_file() and not path.name.startswith(".probe-")
        }

    def image_rows(self) -> set[str]:
        return {name for (name,) in self.query("SELECT file FROM qa_notesimage")}

    def close(self):
        if self.sqlite_path is None:
            drop_database(self.url)


@pytest.fixture
def site(tmp_path):
    made = Site(tmp_path)
    yield made
    made.close()


def kill_when(process: subprocess.Popen, moment, seconds=120) -> None:
    """SIGKILL the process as soon as ``moment()`` is true; fail if it ends first."""
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            if moment():
                process.send_signal(signal.SIGKILL)
                process.wait(10)
                return
            assert process.poll() is None, "the import finished before the moment to kill it came"
            time.sleep(0.001)
        raise AssertionError("the moment to kill the import never came")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_killed_inside_its_transaction_the_import_leaves_no_row_and_no_file(site, tmp_path):
    process = site.start_import(_notes_folder(tmp_path / "notes"))
    kill_when(process, site.holds_write_transaction)

    assert process.returncode == -signal.SIGKILL
    assert site.query("SELECT count(*) FROM courses_cohort") == [(0,)]  # rolled back: it never committed
    assert site.image_rows() == set()
    assert site.stored_files() == set()


def test_killed_while_storing_files_the_import_leaves_no_file_without_a_row_and_prune_lists_the_rest(
    site, tmp_path
):
    notes = _notes_folder(tmp_path / "notes")
    process = site.start_import(notes)
    kill_when(process, lambda: bool(site.stored_files()))

    rows, files = site.image_rows(), site.stored_files()
    assert process.returncode == -signal.SIGKILL
    assert files <= rows, f"{len(files - rows)} files without a row, e.g. {sorted(files - rows)[:2]}"
    assert len(rows) == IMAGES and site.query("SELECT count(*) FROM qa_question") == [(QUESTIONS,)]
    assert len(files) < IMAGES, "the kill came after every file was stored: the test proved nothing"

    listing = site.manage("prune_images")
    assert listing.count("missing  ") == IMAGES - len(files)
    assert "0 unreferenced image(s)" in listing

    site.manage("import_notes", "--cohort", SLUG, str(notes))  # the same notes again restore what is missing
    assert site.stored_files() == site.image_rows() and len(site.image_rows()) == IMAGES
    assert "missing  " not in site.manage("prune_images")
