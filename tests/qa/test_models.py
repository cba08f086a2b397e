import pytest
from django.db import IntegrityError, transaction

from qa.models import Question, Section, SectionExtra, StaleEdit, is_pending_answer
from tests.factories import make_cohort, make_question, make_section, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("answer", ["", "   \n", "- ...", "  - ...\n", "- ", "-\n-", "...", "…", "* ..."])
def test_answers_with_nothing_or_dots_are_pending(answer):
    assert is_pending_answer(answer)


@pytest.mark.parametrize("answer", ["- 네, 맞습니다.", "...and more", "```\n...\n```", "- ...\n- 확인 후 답변"])
def test_answers_with_content_are_not_pending(answer):
    assert not is_pending_answer(answer)


def test_html_is_rendered_and_pending_computed_when_saved(section):
    question = make_question(section, "`docker commit` 하면?", "- ...")
    assert question.pending is True
    assert "<code>docker commit</code>" in question.question_html
    question.answer = "- 네, **포함**됩니다."
    question.save()
    question.refresh_from_db()
    assert question.pending is False
    assert "<strong>포함</strong>" in question.answer_html


def test_pending_and_answered_querysets(section):
    waiting = make_question(section, answer="")
    done = make_question(section, answer="- 네")
    assert list(Question.objects.pending()) == [waiting]
    assert list(Question.objects.answered()) == [done]


def test_new_questions_go_after_the_last_question_before_trailing_extras(section):
    first = make_question(section)
    rule = SectionExtra.objects.create(section=section, kind="text", position=2, source="---")
    second = make_question(section)
    rule.refresh_from_db()
    assert (first.position, second.position, rule.position) == (1, 2, 3)


def test_saving_a_question_bumps_the_cohort_version_and_its_revision(section):
    question = make_question(section)
    version = section.cohort.__class__.objects.get(pk=section.cohort_id).version
    question.answer = "- 바뀜"
    question.save()
    assert question.revision == 2
    assert section.cohort.__class__.objects.get(pk=section.cohort_id).version > version


def test_deleting_a_question_bumps_the_cohort_version(section):
    question = make_question(section)
    before = section.cohort.__class__.objects.get(pk=section.cohort_id).version
    question.delete()
    assert section.cohort.__class__.objects.get(pk=section.cohort_id).version > before


def test_save_checked_refuses_a_stale_revision_and_changes_nothing(section):
    question = make_question(section, answer="- 처음")
    mine = Question.objects.get(pk=question.pk)
    theirs = Question.objects.get(pk=question.pk)
    theirs.answer = "- 동료의 답변"
    theirs.save_checked(expected_revision=1)
    mine.answer = "- 내 답변"
    with pytest.raises(StaleEdit) as refused:
        mine.save_checked(expected_revision=1)
    assert refused.value.current.answer == "- 동료의 답변"
    stored = Question.objects.get(pk=question.pk)
    assert (stored.answer, stored.revision) == ("- 동료의 답변", 2)
    assert "동료의 답변" in stored.answer_html


def test_idempotency_keys_are_unique(section):
    make_question(section, idempotency_key="k-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_question(section, idempotency_key="k-1")


def test_visible_to_and_writable_by_follow_the_cohorts(cohort, private_cohort, student, outsider, instructor):
    public_q = make_question(make_section(cohort))
    private_q = make_question(make_section(private_cohort))
    assert set(Question.objects.visible_to(outsider)) == {public_q}
    assert set(Question.objects.visible_to(student)) == {public_q, private_q}
    assert not Question.objects.writable_by(student).exists()
    assert set(Question.objects.writable_by(instructor)) == {public_q, private_q}
    assert not Question.objects.writable_by(make_user()).exists()


def test_search_needs_every_word_and_matches_korean_inside_longer_words(section):
    hit = make_question(section, "컨테이너 레이어는 휘발성인가요?", "- 네, Volume을 쓰세요.")
    make_question(section, "컨테이너 포트는?", "- 이미지에 지정합니다.")
    assert list(Question.objects.search("레이어 volume")) == [hit]
    assert list(Question.objects.search("휘발")) == [hit]


def test_for_chapter_filters_by_chapter_number(section):
    linked = make_question(section, chapter=6)
    make_question(section, chapter=5)
    assert list(Question.objects.for_chapter(6)) == [linked]


def test_section_titles_are_unique_per_cohort(cohort):
    make_section(cohort, "Docker")
    make_section(make_cohort(), "Docker")
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(cohort=cohort, title="Docker", position=9)


def test_summary_board_html_is_rendered_at_save(section):
    extra = SectionExtra.objects.create(section=section, kind="summary", position=1, source="### Docker Summary\n")
    assert "<h3>Docker Summary</h3>" in extra.html


def test_readable_str(section):
    question = make_question(section, "질문입니다?")
    assert str(question) == "질문입니다?"
    assert str(section) == "MSP T3 - 공개 코호트 · Docker"


def test_rendering_text_without_images_looks_up_no_images(section, django_assert_num_queries):
    from mspt3.markdown import render_markdown
    from qa.images import image_src_for

    with django_assert_num_queries(0):
        render_markdown("- 그림 없는 답변", image_src=image_src_for(section.cohort_id))
    with django_assert_num_queries(1):
        render_markdown("![a](img/a.png) ![b](img/b.png)", image_src=image_src_for(section.cohort_id))
