"""Fresh databases for tests that start their own server process, on the suite's backend:
PostgreSQL when the suite runs on it (a database of our own, never the suite's), else a SQLite file."""

import os
from urllib.parse import urlparse


def suite_uses_postgresql() -> bool:
    return urlparse(os.environ.get("DATABASE_URL", "")).scheme.startswith("postgres")


def fresh_database_url(tmp_path, name: str) -> str:
    if suite_uses_postgresql():
        suite = urlparse(os.environ["DATABASE_URL"])
        return suite._replace(path=f"/{suite.path.lstrip('/')}_sec_{name}").geturl()
    return f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
