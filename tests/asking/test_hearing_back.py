"""Hearing back: askers and voters are told when their question is answered, whichever way it
was, once each; opted-in users with an address get an e-mail (locmem backend in tests)."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from asking import actions, hearing
from asking.models import AskerSettings, Notification
from asking.participants import Participant
from notes.exporter import export_cohort
from qa.models import Question
from tests.asking.conftest import as_participant
from tests.factories import make_question, make_section, make_user

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails go after the commit


@pytest.fixture
def room(cohort, instructor, student):
    make_section(cohort, "Docker")
    student.email = "student@example.org"
    student.save()
    AskerSettings.objects.create(user=student, email_when_answered=True)
    voter = make_user("voter")
    voter.email = "voter@example.org"  # an address, but no opt-in: no e-mail
    voter.save()
    cohort.memberships.create(user=voter, role="student")
    cohort.open_asking = True
    cohort.save()
    return cohort, instructor, student, voter


def ask_and_vote(cohort, student, voter, text="컨테이너 로그는 어디에?"):
    asked = actions.ask(cohort, as_participant(student), text)
    actions.vote(asked, as_participant(voter))
    actions.vote(asked, Participant("p:visitor", None, "10.0.0.9"))
    return asked


def recipients(asked):
    return sorted(asked.notifications.filter(kind="answered").values_list("recipient", "asked"))


def test_accepting_with_an_answer_tells_asker_voters_and_emails_the_opted_in(room):
    cohort, instructor, student, voter = room
    asked = ask_and_vote(cohort, student, voter)
    actions.accept(asked, instructor, section="Docker", answer="`docker logs`")
    assert recipients(asked) == [("p:visitor", False), (f"u:{student.pk}", True), (f"u:{voter.pk}", False)]
    assert [message.to for message in mail.outbox] == [["student@example.org"]]
    assert "docker logs" in mail.outbox[0].body and "컨테이너 로그는" in mail.outbox[0].subject
    assert asked.notifications.get(recipient=f"u:{student.pk}").emailed_at is not None


def test_pending_accept_tells_when_the_answer_comes_from_the_queue(room, client):
    cohort, instructor, student, voter = room
    asked = ask_and_vote(cohort, student, voter)
    question, _ = actions.accept(asked, instructor, section="Docker")
    assert recipients(asked) == [] and mail.outbox == []
    question.answer = "`docker logs -f`"
    question.save()
    assert len(recipients(asked)) == 3 and len(mail.outbox) == 1
    question.answer = "`docker logs --tail 10`"  # a later edit tells nobody twice
    question.save()
    assert len(recipients(asked)) == 3 and len(mail.outbox) == 1


def test_answering_directly_and_merging_into_answered_tell_at_once(room):
    cohort, instructor, student, voter = room
    direct = ask_and_vote(cohort, student, voter, "직접 답해 주세요")
    actions.answer_directly(direct, instructor, "여기 있습니다")
    earlier = make_question(make_section(cohort, "Kubernetes"), "파드란?", "가장 작은 배포 단위")
    merged = ask_and_vote(cohort, student, voter, "파드가 뭐예요?")
    actions.merge(merged, instructor, into=earlier)
    assert len(recipients(direct)) == 3 and len(recipients(merged)) == 3
    assert len(mail.outbox) == 2


def test_merging_into_a_pending_question_tells_when_it_is_answered(room):
    cohort, instructor, student, voter = room
    waiting = make_question(make_section(cohort, "Kubernetes"), "서비스란?", "...")
    asked = ask_and_vote(cohort, student, voter, "서비스가 뭔가요?")
    actions.merge(asked, instructor, into=waiting)
    assert recipients(asked) == []
    waiting.answer = "파드 앞의 고정 주소"
    waiting.save_checked(waiting.revision)
    assert len(recipients(asked)) == 3


def test_dismissal_tells_the_asker_only_and_sends_no_mail(room):
    cohort, instructor, student, voter = room
    asked = ask_and_vote(cohort, student, voter)
    actions.dismiss(asked, instructor, reason="실습 시간에")
    assert list(asked.notifications.values_list("recipient", "kind")) == [(f"u:{student.pk}", "dismissed")]
    assert mail.outbox == []


def test_the_badge_counts_unseen_and_seeing_clears_it(room):
    cohort, instructor, student, voter = room
    asked = ask_and_vote(cohort, student, voter)
    actions.accept(asked, instructor, section="Docker", answer="답")
    keys = [f"u:{student.pk}"]
    assert hearing.notifications_for(keys, unseen_only=True).count() == 1
    assert hearing.mark_seen(keys) == 1
    assert hearing.notifications_for(keys, unseen_only=True).count() == 0
    assert Notification.objects.filter(recipient="p:visitor", seen_at__isnull=True).count() == 1


def test_undo_withdraws_what_the_triage_told(room):
    cohort, instructor, student, voter = room
    asked = ask_and_vote(cohort, student, voter)
    _question, triage = actions.accept(asked, instructor, section="Docker", answer="답")
    actions.undo(triage, instructor)
    assert not asked.notifications.exists()


def test_a_bulk_update_that_answers_the_question_tells_them(room):
    """Question.objects.update() sends no per-row signal: hearing back hangs off the announcement
    (courses.changes.cohorts_changed) every write makes, so it hears bulk updates too."""
    cohort, instructor, student, voter = room
    asked = ask_and_vote(cohort, student, voter)
    question, _ = actions.accept(asked, instructor, section="Docker")
    Question.objects.filter(pk=question.pk).update(answer="`docker logs --since 1h`")
    question.refresh_from_db()
    assert question.pending is False  # the bulk update keeps the pending queue right as well
    assert len(recipients(asked)) == 3 and len(mail.outbox) == 1
    assert "--since 1h" in mail.outbox[0].body
    Question.objects.filter(pk=question.pk).update(answer="`docker logs`")  # told once
    assert len(recipients(asked)) == 3 and len(mail.outbox) == 1


def test_a_bulk_update_that_leaves_it_pending_tells_nobody(room):
    cohort, instructor, student, voter = room
    asked = ask_and_vote(cohort, student, voter)
    question, _ = actions.accept(asked, instructor, section="Docker")
    Question.objects.filter(pk=question.pk).update(answer="...")
    assert recipients(asked) == [] and mail.outbox == []
    asked.refresh_from_db()
    assert asked.answered_at is None


def test_a_re_import_that_answers_an_accepted_pending_question_tells_them(room, tmp_path):
    cohort, instructor, student, voter = room
    asked = ask_and_vote(cohort, student, voter, "볼륨은 어디에 저장되나요?")
    question, _ = actions.accept(asked, instructor, section="Docker")
    notes = tmp_path / "notes.md"
    notes.write_text(export_cohort(cohort), encoding="utf-8")
    assert "볼륨은 어디에 저장되나요?" in notes.read_text(encoding="utf-8")
    text = notes.read_text(encoding="utf-8")
    assert "- 볼륨은 어디에 저장되나요?\n  - ...\n" in text  # exported pending
    notes.write_text(text.replace("  - ...\n", "  - `/var/lib/docker/volumes`\n", 1), encoding="utf-8")
    # The site never imported this cohort, so the file's answer is taken with --prefer-file.
    call_command("import_notes", str(notes), "--cohort", cohort.slug, "--prefer-file", stdout=io.StringIO())
    question.refresh_from_db()
    assert not question.pending and "/var/lib/docker/volumes" in question.answer
    assert len(recipients(asked)) == 3 and len(mail.outbox) == 1
    # Imported again: told once.
    call_command("import_notes", str(notes), "--cohort", cohort.slug, "--prefer-file", stdout=io.StringIO())
    assert len(recipients(asked)) == 3 and len(mail.outbox) == 1
