""""That answers it", counted (issue 16): once per participant and earlier question, whatever the
concurrency (a unique constraint). Not shown on any page, so it announces nothing."""

from django.db import IntegrityError, transaction

from asking.limits import check
from room.models import AnsweredBefore


def record_answered_before(cohort, question, participant) -> int:
    """``participant`` says ``question`` answers what they were about to ask in ``cohort``;
    → how many participants have said so of it. Rate-limited like asking."""
    check("ask", participant)
    try:
        with transaction.atomic():
            AnsweredBefore.objects.create(cohort=cohort, question=question, participant=participant.key)
    except IntegrityError:
        pass
    return AnsweredBefore.objects.filter(question=question).count()
