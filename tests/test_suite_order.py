"""The suite in any order: a transactional test must not break the serialized tests after it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
# One marked in its module (pytestmark), one on the test function itself.
TRANSACTIONAL = (
    "tests/asking/test_hearing_back.py::test_accepting_with_an_answer_tells_asker_voters_and_emails_the_opted_in",
    "tests/courses/test_freshness.py::test_when_its_watch_fails_every_lookup_asks_the_database",
)
SERIALIZED = "tests/notes/test_import_cost.py::test_no_markdown_is_rendered_while_the_import_transaction_is_open"


@pytest.mark.parametrize("transactional", TRANSACTIONAL, ids=["module-marker", "function-marker"])
def test_a_serialized_test_after_a_plain_transactional_one_still_loads_the_saved_database(transactional):
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", transactional, SERIALIZED]
    env = dict(os.environ)
    if env.get("DATABASE_URL", "").startswith("postgres"):
        # A test database of its own: this session's is in use (its connections, and the
        # cohort watch's: courses.freshness), so the inner one could not re-create it.
        env["DATABASE_URL"] = env["DATABASE_URL"].rstrip("/") + "_order"
    result = subprocess.run(command, cwd=BASE_DIR, capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "2 passed" in result.stdout
