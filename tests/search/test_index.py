"""The index follows every write path of a question, on the database the suite runs on."""

import pytest
from django.db import connection

from qa.models import Question
from search.models import SearchDocument
from tests.factories import make_cohort, make_question, make_section

pytestmark = pytest.mark.django_db


def found(query):
    return set(Question.objects.search(query).values_list("pk", flat=True))


def full_text_rows():
    """What the engine itself holds (not the document table): the FTS5 rows, or the tsvectors."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT question_id FROM search_searchdocument WHERE vector IS NOT NULL")
        else:
            cursor.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH 'zqvolume OR zqingress OR zqpod'")
        return {row[0] for row in cursor.fetchall()}


def test_a_saved_question_is_found_by_its_words_in_any_spelling(section):
    question = make_question(section, "컨테이너를 삭제하면 볼륨 데이터는?", "- `docker rm -v`")
    assert found("컨테이너 삭제 데이터") == {question.pk}
    assert found("volume") == {question.pk}
    assert found("컨테이너를 삭제하면 데이터") == {question.pk}


def test_an_edit_replaces_the_terms(section):
    question = make_question(section, "볼륨은 언제 지워지나요?")
    question.question = "인그레스는 무엇인가요?"
    question.save()
    assert found("volume") == set()
    assert found("ingress") == {question.pk}
    assert SearchDocument.objects.count() == 1


def test_a_conditional_save_reindexes(section):
    question = make_question(section, "볼륨?")
    question.answer = "ingress 컨트롤러가 필요합니다"
    question.save_checked(question.revision)
    assert found("인그레스") == {question.pk}


def test_a_bulk_update_of_the_text_reindexes_every_row(section):
    first, second = make_question(section, "볼륨 하나?"), make_question(section, "볼륨 둘?")
    Question.objects.filter(question__contains="볼륨").update(question="파드 질문?")
    assert found("volume") == set()
    assert found("pod") == {first.pk, second.pk}


def test_a_move_keeps_the_question_found_in_its_new_section(section):
    question = make_question(section, "볼륨 질문?")
    other = make_section(section.cohort, "Kubernetes")
    question.section = other
    question.save()
    assert found("볼륨") == {question.pk}
    assert Question.objects.get(pk=question.pk).section == other


def test_single_and_bulk_deletes_and_cascades_leave_nothing_in_the_engine(section):
    one, two = make_question(section, "볼륨 하나?"), make_question(section, "인그레스 둘?")
    cohort = make_cohort()
    three = make_question(make_section(cohort), "파드 셋?")
    assert full_text_rows() >= {one.pk, two.pk, three.pk}
    one.delete()
    Question.objects.filter(pk=two.pk).delete()
    cohort.delete()
    assert found("volume") == found("ingress") == found("pod") == set()
    assert SearchDocument.objects.count() == 0
    assert full_text_rows() == set()


def test_an_unchanged_save_does_not_analyse_again(section):
    from search.index import index_questions

    question = make_question(section, "볼륨?")
    assert index_questions([question]) == 0
    assert index_questions([question], force=True) == 1


NOTES = """# MSP T3 - 검색 테스트

## Kubernetes

- 인그레스는 언제 쓰나요?
  - 외부에서 서비스로 들어올 때

- 볼륨을 지우면?
  - 데이터가 사라집니다
"""


def test_an_import_indexes_every_question_and_a_reimport_follows_edits_and_deletions():
    from notes.importer import import_notes_text

    import_notes_text(NOTES, slug="search-notes")
    ingress, volume = Question.objects.order_by("position")
    assert found("ingress") == {ingress.pk} and found("volume") == {volume.pk}
    edited = NOTES.replace("볼륨을 지우면?\n  - 데이터가 사라집니다", "파드를 지우면?\n  - 다시 만들어집니다")
    edited = edited.replace("- 인그레스는 언제 쓰나요?\n  - 외부에서 서비스로 들어올 때\n", "")
    import_notes_text(edited, slug="search-notes")
    assert found("ingress") == set() and found("volume") == set()
    assert found("pod") == {question.pk for question in Question.objects.all()}
    assert SearchDocument.objects.count() == Question.objects.count() == 1


def test_a_dry_run_import_leaves_no_document():
    from notes.importer import import_notes_text

    import_notes_text(NOTES, slug="search-dry", dry_run=True)
    assert SearchDocument.objects.count() == 0 and full_text_rows() == set()


def test_rebuild_search_index_rewrites_every_document(section):
    from django.core.management import call_command

    question = make_question(section, "볼륨?")
    SearchDocument.objects.all().delete()
    assert found("volume") == set()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    assert found("volume") == {question.pk}
