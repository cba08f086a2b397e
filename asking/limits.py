"""Rate limits on asking and voting: the known attack on class Q&A tools is a script voting a
question up an absurd number of times.

A vote is already counted once per participant (a unique constraint), so a limit stops a
script from churning (vote, unvote, vote…: every one announces the cohort) and, for anonymous
visitors who can shed their cookie for a new id, from voting with many ids from one address.
The counters are courses.AttemptCounter rows (courses.login_limit.count_attempt, one short
locked transaction): every worker and machine counts the same, unlike a per-process cache.
Settings ``ASKING_LIMITS`` override the defaults below.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import transaction

from courses.login_limit import count_attempt

# action → (attempts allowed per participant, per address for visitors, window in seconds)
DEFAULT_LIMITS = {
    "ask": (10, 30, 600),
    "vote": (120, 600, 600),
}


class RateLimited(Exception):
    """Too many of ``action`` in the window; retry after ``retry_after`` seconds."""

    def __init__(self, action: str, retry_after: int):
        super().__init__(f"Too many {action}s: try again in {retry_after // 60 or 1} minutes.")
        self.action = action
        self.retry_after = retry_after


def limits_for(action: str) -> tuple[int, int, int]:
    return {**DEFAULT_LIMITS, **getattr(settings, "ASKING_LIMITS", {})}[action]


def _key(*parts: str) -> str:
    return hashlib.sha256("\x00".join(("asking", *parts)).encode()).hexdigest()


def check(action: str, participant) -> None:
    """Count one ``action`` by ``participant`` (asking.participants.Participant); raise
    RateLimited past the limit. Visitors are also counted per address.

    Only accepted actions should count: callers check the input and the policy first, and an
    action that can still be refused afterwards (a vote on a question triaged meanwhile) calls
    this inside its write transaction, whose rollback takes the count back. Either count
    refusing takes back both."""
    per_participant, per_address, window = limits_for(action)
    with transaction.atomic():
        if count_attempt(_key(action, participant.key), window) > per_participant:
            raise RateLimited(action, window)
        if not participant.is_user and participant.address:
            if count_attempt(_key(action, "address", participant.address), window) > per_address:
                raise RateLimited(action, window)
