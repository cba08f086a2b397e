"""The class load scenario in small: students poll, ask and vote (twice, twice at once, back)
while an instructor triages: no lost or doubled vote, exact counts, no 5xx."""

import json
import subprocess
import sys
from pathlib import Path

from tests.security.databases import fresh_database_url

ROOT = Path(__file__).resolve().parents[2]


def test_a_class_voting_while_the_instructor_triages_loses_and_doubles_no_vote(tmp_path):
    url = fresh_database_url(tmp_path, "class_load")
    result = subprocess.run(
        [sys.executable, "scripts/loadtest.py", "--scenario", "class", "--small", "--database-url", url],
        cwd=ROOT, capture_output=True, text=True, timeout=400,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout[result.stdout.index("{") : result.stdout.rindex("}") + 1])
    assert report["questions asked"] == 10 and report["votes stored"] == report["votes held at the end (clients)"] > 0
    assert report["lost votes"] == report["extra votes"] == report["doubled votes"] == 0
    assert report["list counts differing from the database"] == 0 and report["5xx"] == 0
    assert sum(report["statuses"].values()) - report["statuses"]["open"] > 0
