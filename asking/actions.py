"""What can be done with the class's questions, for pages and API alike: ask, vote, unvote,
and the instructors' triage (accept, answer directly, merge, dismiss, undo).

Every function checks the one access rule (courses.policy.can_ask/can_vote/can_triage) and
raises ``PermissionDenied`` if it says no, ``InvalidInput`` (field → messages, nothing
written) for bad input, ``Conflict`` when someone else triaged first, and
``asking.limits.RateLimited`` past a participant's limit. Markdown is rendered before the
write transaction (qa.rendering.rendered_in_advance); every write goes through the models or
their querysets, so it announces the cohort (courses.changes) and the cohort page's ETag moves.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asking import hearing, limits
from asking.models import ASK_MAX_CHARS, DISMISS_REASON_MAX_CHARS, NICKNAME_MAX_CHARS, StudentQuestion, Vote
from courses.policy import can_ask, can_triage, can_view, can_vote
from mspt3.fields import one_line
from mspt3.limits import ANSWER_MAX_CHARS, check_markdown
from qa.rendering import rendered_in_advance

Status = StudentQuestion.Status


class InvalidInput(Exception):
    """Bad input; ``errors`` maps field names to messages. Nothing was written."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items()))
        self.errors = errors


class Conflict(Exception):
    """The student question is no longer in the state the action needs (someone triaged it first)."""


@dataclass(frozen=True)
class Triage:
    """What one triage did, enough to undo it (pages keep the last one in the session: as_dict)."""

    action: str  # "accept", "merge", "dismiss"
    student_question: int
    question: int | None = None  # the notes question made or merged into
    created_revision: int | None = None  # the revision of the question accept made (None: none made)
    merged_into: int | None = None  # the student question merged into
    carried_voters: list[str] = field(default_factory=list)  # votes merge added to merged_into

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Triage:
        return cls(**{name: data[name] for name in cls.__dataclass_fields__ if name in data})


# ---------------------------------------------------------------- asking and voting


def _checked_text(text, name: str, max_chars: int, *, required: bool) -> str:
    text = (text or "").strip() if isinstance(text, str) else None
    if text is None:
        raise InvalidInput({name: ["Give text."]})
    if required and not text:
        raise InvalidInput({name: ["This field may not be blank."]})
    if problem := check_markdown(text, max_chars=max_chars):
        raise InvalidInput({name: [f"Too costly to show: {problem}."]})
    return text


def ask(cohort, participant, text: str, *, nickname: str = "", anonymous_to_classmates: bool = False,
        idempotency: tuple[str | None, str] = (None, "")):
    """``participant`` (asking.participants.Participant) asks ``text`` (markdown) in ``cohort``.
    ``idempotency``: the API request's scoped key and body fingerprint (a second use of the key
    raises IntegrityError). → the new StudentQuestion."""
    if not can_ask(participant.user, cohort):
        raise PermissionDenied(_("Asking in this cohort is open to its members only."))
    text = _checked_text(text, "text", ASK_MAX_CHARS, required=True)
    nickname = one_line(nickname or "").strip()
    if len(nickname) > NICKNAME_MAX_CHARS:
        raise InvalidInput({"nickname": [f"At most {NICKNAME_MAX_CHARS} characters."]})
    limits.check("ask", participant)
    student_question = StudentQuestion(
        cohort=cohort,
        text=text,
        author=participant.user,
        participant=participant.key,
        nickname=nickname,
        anonymous_to_classmates=bool(anonymous_to_classmates),
        idempotency_key=idempotency[0],
        idempotency_fingerprint=idempotency[1],
    )
    with rendered_in_advance([text], cohort.pk), transaction.atomic():
        student_question.save()
    return student_question


def that_answers_it(cohort, participant, question) -> int:
    """The asker found their answer in ``question`` (a notes question they may read, suggested
    while they typed) and sent nothing: counted (models.Deflection) once per participant and
    question whatever the concurrency (a unique constraint), under the asking limit. The one
    home of "that answers it": the page (room.views) and the API (asking.api) both call it.
    → how many participants have said so of ``question``."""
    from asking.models import Deflection

    if not can_ask(participant.user, cohort):
        raise PermissionDenied(_("Asking in this cohort is open to its members only."))
    if not can_view(participant.user, question.section.cohort):
        raise InvalidInput({"question": ["No such question."]})
    limits.check("ask", participant)
    try:
        with transaction.atomic():
            Deflection.objects.create(cohort=cohort, question=question, participant=participant.key)
    except IntegrityError:
        pass  # said before: counted once
    return Deflection.objects.filter(question=question).count()


def set_open_asking(cohort, user, on: bool) -> bool:
    """The cohort's instructors (courses.policy.can_write) open or close asking to visitors who
    are not members: public cohorts only (the access rule ignores it on a private one). Saving
    the cohort announces it, so its page and ETags follow. → the new setting."""
    from courses.policy import can_write

    if not can_write(user, cohort):
        raise PermissionDenied(_("Only this cohort's instructors may open or close asking."))
    if not isinstance(on, bool):
        raise InvalidInput({"open_asking": ["Give true or false."]})
    if on and not cohort.is_public:
        raise InvalidInput({"open_asking": ["Open asking is for public cohorts: make the cohort public first."]})
    if cohort.open_asking != on:
        cohort.open_asking = on
        cohort.save(update_fields=["open_asking", "updated_at"])
    return on


def _check_vote(student_question, participant):
    if not can_vote(participant.user, student_question.cohort):
        raise PermissionDenied(_("Voting in this cohort is open to its members only."))


def _still_open(student_question, participant) -> None:
    """Inside the vote's transaction: the question's row locked (PostgreSQL; SQLite's write lock
    serialises whole transactions), so a triage either sees this vote or refuses it — the
    voters it tells (asking.hearing) are exactly the votes that count. The limit counts in the
    same transaction, so a vote refused here (the question was triaged) is not counted."""
    limits.check("vote", participant)
    if not StudentQuestion.objects.select_for_update().filter(pk=student_question.pk, status=Status.OPEN).exists():
        raise Conflict("Only open questions take votes.")


def vote(student_question, participant) -> bool:
    """One vote of ``participant`` for an open question; True if it counted now, False if they
    had voted already (the unique constraint decides, whatever the concurrency)."""
    _check_vote(student_question, participant)
    with transaction.atomic():
        _still_open(student_question, participant)
        try:
            with transaction.atomic():
                Vote.objects.create(student_question=student_question, voter=participant.key, user=participant.user)
        except IntegrityError:
            return False
    return True


def unvote(student_question, participant) -> bool:
    """Take back the participant's vote on an open question (a triaged one's count is final);
    True if there was one."""
    _check_vote(student_question, participant)
    with transaction.atomic():
        _still_open(student_question, participant)
        deleted, _ = Vote.objects.filter(student_question=student_question, voter=participant.key).delete()
    return bool(deleted)


def votes_of(student_question) -> int:
    return Vote.objects.filter(student_question=student_question).count()


# ---------------------------------------------------------------- triage


def _check_triage(student_question, by):
    if not can_triage(by, student_question.cohort):
        raise PermissionDenied(_("Only this cohort's instructors may triage its questions."))


def _close(student_question, by, **changes) -> None:
    """Move an open student question on, if it is still open (one conditional UPDATE: two
    instructors triaging at once cannot both win); else Conflict."""
    now = timezone.now()
    moved = StudentQuestion.objects.filter(pk=student_question.pk, status=Status.OPEN).update(
        triaged_by=by, updated_at=now, **changes
    )
    if not moved:
        raise Conflict("Someone triaged this question already.")
    for name, value in {"triaged_by": by, "updated_at": now, **changes}.items():
        setattr(student_question, name, value)


def _resolve_chapter(chapter):
    from curriculum.models import Chapter

    if chapter in (None, ""):
        return None
    if isinstance(chapter, Chapter):
        return chapter
    found = Chapter.objects.filter(number=chapter).first() if str(chapter).isdigit() else None
    if found is None:
        raise InvalidInput({"chapter": [f"No chapter {chapter}."]})
    return found


def _resolve_section(cohort, section):
    """A Section of the cohort, a title (a new one is created on accept), or None (placement)."""
    from qa.models import Section

    if section in (None, ""):
        return None
    if isinstance(section, Section):
        found = section if section.cohort_id == cohort.pk else None
    elif isinstance(section, int) or (isinstance(section, str) and section.isdigit()):
        found = cohort.sections.filter(pk=int(section)).first()
    elif isinstance(section, str):
        title = one_line(section).strip()[:200]
        return cohort.sections.filter(title=title).first() or title
    else:
        found = None
    if found is None:
        raise InvalidInput({"section": ["No such section in this cohort."]})
    return found


def placement_for(cohort, text: str, answer: str = "", *, section=None, chapter=None):
    """Where an accepted question goes: the chosen section and chapter, else the chapter the text
    names or its content suggests (search.chapters.infer_chapter), then qa.placement's rule."""
    from curriculum.models import Chapter
    from qa.placement import chapter_named_in, place
    from search.chapters import infer_chapter
    from search.glossary import current_glossary

    section, chapter = _resolve_section(cohort, section), _resolve_chapter(chapter)
    if chapter is None and chapter_named_in(text) is None:
        title = section if isinstance(section, str) else (section.title if section else "")
        number = infer_chapter(text, answer, glossary=current_glossary(), section_title=title)
        chapter = Chapter.objects.filter(number=number).first() if number else None
    placement = place(cohort, text, section=section, chapter=chapter)
    if placement.section is None:
        raise InvalidInput({"section": ["Choose a section: nothing tells where this question goes."]})
    return placement


def accept(student_question, by, *, section=None, chapter=None, answer: str = ""):
    """Make the student question a notes question (qa.Question, through its save path) in
    ``section`` (id, title or Section; else placed), with ``chapter`` (number; else inferred)
    and ``answer`` (empty: pending). Tells the asker and voters when it is answered.
    → (the Question, the Triage)."""
    from qa.models import Question, Section

    _check_triage(student_question, by)
    answer = _checked_text(answer, "answer", ANSWER_MAX_CHARS, required=False)
    cohort = student_question.cohort
    placement = placement_for(cohort, student_question.text, answer, section=section, chapter=chapter)
    with rendered_in_advance([student_question.text, answer], cohort.pk), transaction.atomic():
        target = placement.section
        if isinstance(target, str):
            defaults = {"heading": f"## {target}", "position": cohort.sections.count() + 1}
            target, _created = Section.objects.get_or_create(cohort=cohort, title=target, defaults=defaults)
        question = Question(section=target, chapter=placement.chapter, question=student_question.text,
                            answer=answer, author=by, origin=Question.Origin.SITE)
        question.save()
        _close(student_question, by, status=Status.ACCEPTED, question=question)
        if not question.pending:
            hearing.record_answered(StudentQuestion.objects.filter(pk=student_question.pk))
    return question, Triage("accept", student_question.pk, question.pk, created_revision=question.revision)


def answer_directly(student_question, by, answer: str):
    """Answer in place: the question goes into the notes with ``answer`` (placed as accept does),
    and the asker and voters hear back at once. → (the Question, the Triage)."""
    if not (isinstance(answer, str) and answer.strip()):
        raise InvalidInput({"answer": ["Write the answer."]})
    return accept(student_question, by, answer=answer)


def merge(student_question, by, *, into):
    """Merge into ``into``: a notes question (qa.Question) the triager may read, in any cohort —
    the asker is pointed to its answer — or another open student question of the same cohort,
    whose votes the merged one's voters and asker join. → the Triage."""
    from qa.models import Question

    _check_triage(student_question, by)
    if isinstance(into, Question):
        if not can_view(by, into.section.cohort):
            raise InvalidInput({"question": ["No such question."]})
        with transaction.atomic():
            _close(student_question, by, status=Status.MERGED, question=into)
            if not into.pending:
                hearing.record_answered(StudentQuestion.objects.filter(pk=student_question.pk))
        return Triage("merge", student_question.pk, into.pk)
    same_cohort = isinstance(into, StudentQuestion) and into.cohort_id == student_question.cohort_id
    if not same_cohort or into.pk == student_question.pk:
        raise InvalidInput({"student_question": ["Merge into another question of the same cohort."]})
    if into.status != Status.OPEN:
        raise InvalidInput({"student_question": ["Merge into an open question."]})
    with transaction.atomic():
        _close(student_question, by, status=Status.MERGED, merged_into=into)
        already = set(Vote.objects.filter(student_question=into).values_list("voter", flat=True))
        carried = {voter: user_id for voter, user_id in
                   Vote.objects.filter(student_question=student_question).values_list("voter", "user_id")}
        carried.setdefault(student_question.participant, student_question.author_id)
        already.add(into.participant)
        carried = {voter: user_id for voter, user_id in carried.items() if voter not in already}
        Vote.objects.bulk_create(
            [Vote(student_question=into, voter=voter, user_id=user_id) for voter, user_id in carried.items()],
            ignore_conflicts=True,
        )
        # bulk_create bypasses save(): announce the cohort for the moved counts.
        from courses.changes import announce

        announce([student_question.cohort_id])
    return Triage("merge", student_question.pk, merged_into=into.pk, carried_voters=sorted(carried))


def dismiss(student_question, by, *, reason: str = ""):
    """Close without an answer; ``reason`` is shown to the asker only. → the Triage."""
    _check_triage(student_question, by)
    reason = reason.strip() if isinstance(reason, str) else None
    if reason is None or len(reason) > DISMISS_REASON_MAX_CHARS:
        raise InvalidInput({"reason": [f"At most {DISMISS_REASON_MAX_CHARS} characters of text."]})
    with transaction.atomic():
        _close(student_question, by, status=Status.DISMISSED, dismiss_reason=reason)
        hearing.record_dismissed(student_question)
    return Triage("dismiss", student_question.pk)


def undo(triage: Triage, by) -> StudentQuestion:
    """Reverse ``triage`` (the last one of the session): the student question is open again, a
    question accept made is deleted (unless edited since: Conflict), votes merge carried are
    taken back, and what it told the asker is withdrawn. → the reopened StudentQuestion."""
    from qa.models import Question

    student_question = StudentQuestion.objects.select_related("cohort").get(pk=triage.student_question)
    _check_triage(student_question, by)
    expected = {"accept": Status.ACCEPTED, "merge": Status.MERGED, "dismiss": Status.DISMISSED}[triage.action]
    with transaction.atomic():
        reopened = StudentQuestion.objects.filter(
            pk=student_question.pk, status=expected, question_id=triage.question, merged_into_id=triage.merged_into
        ).update(status=Status.OPEN, question=None, merged_into=None, dismiss_reason="", answered_at=None,
                 triaged_by=None, updated_at=timezone.now())
        if not reopened:
            raise Conflict("The question changed since that triage: nothing to undo.")
        if triage.created_revision is not None:
            deleted, _ = Question.objects.filter(pk=triage.question, revision=triage.created_revision).delete()
            if not deleted and Question.objects.filter(pk=triage.question).exists():
                raise Conflict("The question it became was edited since: edit or delete it instead.")
        if triage.carried_voters:
            Vote.objects.filter(student_question_id=triage.merged_into, voter__in=triage.carried_voters).delete()
        for kind in ("answered", "dismissed"):
            hearing.forget(student_question, kind)
    student_question.refresh_from_db()
    return student_question
