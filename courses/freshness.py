"""Whether what anonymous pages show (cohorts, chapters, the glossary) may have changed
since a moment, asked without querying the database.

An anonymous visitor's cohort page and polls need the cohort's head (is it public, its
version: courses.poll_lookup), the home, chapter and search pages the fingerprint of the
public cohorts, the chapters and the glossary's version. Each is a query, and on
PostgreSQL a round trip that costs a cached page more than everything else it does
(docs/benchmarks.md). So a process keeps what it read (``kept``), and ``token()`` tells
it when that may be stale. The token changes with

- every write this process makes to those tables or announces (``changed``: Cohort's and
  GlossaryTerm's save and delete signals, CohortQuerySet's bulk writes and
  courses.changes.announce, which every change of what a page shows goes through — a
  chapter renamed on a site with no cohort yet moves no cohort row), at the write, so a
  transaction of this process never reads its own old state; a rolled-back one only
  costs a lookup;
- every commit of another process, told by the database itself, whatever wrote it:
  SQLite: ``PRAGMA data_version`` of a read-only connection of this process's own, which
  moves whenever any other connection commits (on SQLite every process is on one host);
  PostgreSQL: statement triggers on the cohorts, chapters, labs and glossary tables
  NOTIFY at commit (migration courses/0007) and a connection of this process's own
  LISTENs; each check reads what arrived on its socket without waiting.

``token()`` is None when it cannot tell (the listener is down): the caller queries.
On PostgreSQL a notification reaches the other processes just after the commit returns
(microseconds on one host, a network hop between hosts): a head read in that instant
is the old one, like a read from a replica; the next request reads the new one.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time

from django.db import connections

from courses.units import in_unit_of_work

CHANNEL = "mspt3_cohorts"
_lock = threading.Lock()
_written = 0  # this process's own writes to those tables, and its announcements
_watches: dict[str, object] = {}
_kept: dict[tuple, tuple] = {}
KEPT_MAX = 1024  # keys may come from the client (a slug): past this many, start again
_failed_until: dict[str, float] = {}
# After a failure (the database restarting, its connections used up) the watch is tried again
# this much later; meanwhile every lookup queries, as without the watch.
RETRY_SECONDS = 5.0
log = logging.getLogger(__name__)


def changed(**_signal):
    global _written
    with _lock:
        _written += 1


class SQLiteWatch:
    """``PRAGMA data_version`` of a read-only connection to the file ``name``."""

    def __init__(self, name: str):
        self.name = name
        self.file = _file_identity(name)
        self.db = sqlite3.connect(f"file:{name}?mode=ro", uri=True, check_same_thread=False)

    @classmethod
    def of(cls, connection):
        # An in-memory database is this process's alone: its own writes are all there is.
        return _InMemory() if connection.is_in_memory_db() else cls(str(connection.settings_dict["NAME"]))

    def token(self):
        # data_version speaks for the file this connection opened: one moved away or put in
        # its place (a restore) is another database, so the watch is over.
        if _file_identity(self.name) != self.file:
            raise FileNotFoundError(f"{self.name} is not the file the watch opened")
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def close(self):
        self.db.close()


class _InMemory:
    def token(self):
        return 0

    def close(self):
        pass


class PostgreSQLWatch:
    """LISTEN on a connection of its own with ``params`` (psycopg's connect arguments)."""

    def __init__(self, params: dict):
        import psycopg

        self.db = psycopg.connect(**params, autocommit=True)
        self.db.execute(f"LISTEN {CHANNEL}")
        self.received = 0

    @classmethod
    def of(cls, connection):
        params = connection.get_connection_params()
        return cls({k: v for k, v in params.items() if k not in ("cursor_factory", "context", "prepare_threshold")})

    def token(self):
        pgconn = self.db.pgconn
        # What has arrived, without waiting. A server that ended the connection (a restart)
        # sent a last message before closing: the second read finds the close, and raises.
        pgconn.consume_input()
        pgconn.consume_input()
        while pgconn.notifies() is not None:
            self.received += 1
        return self.received

    def close(self):
        self.db.close()


def _file_identity(path):
    status = os.stat(path)
    return status.st_dev, status.st_ino


_KINDS = {"sqlite": SQLiteWatch, "postgresql": PostgreSQLWatch}


def token(alias: str = "default"):
    """A value that differs from every earlier one whenever the cohorts table may have
    changed since; None when this process cannot tell. Read it *before* the lookup it
    vouches for."""
    connection = connections[alias]
    kind = _KINDS.get(connection.vendor)
    if kind is None:
        return None
    with _lock:
        watch = _watches.get(alias)
        if watch is None and time.monotonic() < _failed_until.get(alias, 0.0):
            return None
        try:
            if watch is None or watch.pid != os.getpid():  # a forked worker opens its own
                watch = kind.of(connection)
                watch.pid = os.getpid()
                watch.epoch = object()  # a new watch starts a new series of tokens
                _watches[alias] = watch
            return (_written, watch.epoch, watch.token())
        except Exception:  # noqa: BLE001 - any failure of the watch means "cannot tell"
            log.warning("cohort freshness watch on %s failed; looking cohorts up", alias, exc_info=True)
            _watches.pop(alias, None)
            _failed_until[alias] = time.monotonic() + RETRY_SECONDS
            return None


def close_watches():
    """Close this process's watch connections (a test database cannot be dropped while one listens)."""
    with _lock:
        for watch in _watches.values():
            if watch.pid == os.getpid():
                watch.close()
        _watches.clear()


def kept(key: tuple, compute, alias: str = "default"):
    """``compute()``, or what it returned before under ``key`` if the cohorts table cannot
    have changed since (every page-visible change moves a cohort's version: courses.changes).
    For what anonymous visitors are shown; never kept inside a transaction the code opened,
    whose reads may be its own uncommitted writes. An exception is not kept."""
    if in_unit_of_work(connections[alias]):
        return compute()
    tag = token(alias)  # before computing: a change meanwhile makes the kept value stale, never wrong
    hit = _kept.get((alias, *key))
    if tag is not None and hit is not None and hit[0] == tag:
        return hit[1]
    value = compute()
    if tag is not None:
        if len(_kept) >= KEPT_MAX:
            _kept.clear()
        _kept[(alias, *key)] = (tag, value)
    return value


def forget():
    """Drop every kept value (tests: a rolled-back test's cohorts are gone without a write)."""
    _kept.clear()
