"""Shared by the notes tests: where the fixtures and seeds are, and how fidelity is judged."""

import re
from pathlib import Path

from django.conf import settings

from mspt3.markdown import github_html

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "notes"
FIXTURE_FILES = sorted(FIXTURES.glob("*.md"))
SYNC_VERSIONS = sorted((FIXTURES / "sync").glob("v*.md"))
# The real notes files of ../shared/seeds, when the checkout sits beside them (CI does).
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
NOTES_FILES = FIXTURE_FILES + SEED_FILES
DEMO_FILE = Path(settings.BASE_DIR) / "demo" / "mspt3-demo.md"


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def rendered(text: str) -> str:
    """GitHub's HTML for ``text`` with whitespace normalised: the fidelity yardstick."""
    html = github_html(text)
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()
