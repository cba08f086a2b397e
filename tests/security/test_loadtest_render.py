"""The rendering load scenario in small: a costly answer saved in a loop on 4 gunicorn
workers while another instructor logs questions: no 5xx, every logged question stored."""

import json
import subprocess
import sys
from pathlib import Path

from tests.security.databases import fresh_database_url

ROOT = Path(__file__).resolve().parents[2]


def test_a_costly_answer_saved_in_a_loop_loses_no_other_write_and_never_5xx(tmp_path):
    url = fresh_database_url(tmp_path, "render_load")
    result = subprocess.run(
        [sys.executable, "scripts/loadtest.py", "--scenario", "render", "--small", "--database-url", url],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout[result.stdout.index("{") : result.stdout.rindex("}") + 1])
    assert report["workers"] == 4 and report["big answers saved (200)"] > 0
    assert report["questions logged (201)"] == 15 and report["logged questions missing or duplicated"] == 0
    assert report["5xx"] == 0 and report["transport errors"] == 0 and report["unexpected"] == {}
