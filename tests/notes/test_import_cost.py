"""Re-import cost is bounded by structure, not measured by the clock (issue 12.2):
similarity comparisons grow linearly with the questions, the write is a bounded number of
statements, and no markdown is rendered while the transaction holds the write lock."""

import difflib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mspt3 import markdown
from notes.importer import import_notes_text
from qa.models import Question
from tests.notes.notes_support import media_root  # noqa: F401

# Questions sharing a long prefix: every pair looks alike to a cheap length check.
PREFIX = "쿠버네티스 클러스터에서 디플로이먼트를 롤링 업데이트할 때 서비스가 끊기지 않게 하려면 " * 3


def notes(count: int, *, reworded: bool) -> str:
    ending = "무엇을 확인하나요?" if reworded else "무엇을 확인해야 하나요?"
    questions = "".join(f"- {PREFIX}{n}번째 경우에는 {ending}\n  - 답 {n}: readinessProbe 입니다.\n\n"
                        for n in range(count))
    return f"# MSP T3 - 93-1차\n\n## Kubernetes\n\n{questions}"


def reimport_counting_ratios(monkeypatch, count: int, slug: str) -> tuple[int, int]:
    """(difflib ratios computed, SQL statements) for re-importing ``count`` reworded questions."""
    import_notes_text(notes(count, reworded=False), slug=slug)
    ids = sorted(Question.objects.filter(section__cohort__slug=slug).values_list("pk", flat=True))
    calls = []
    real_ratio = difflib.SequenceMatcher.ratio

    def counted(self):
        calls.append(1)
        return real_ratio(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counted)
    with CaptureQueriesContext(connection) as queries:
        report = import_notes_text(notes(count, reworded=True), slug=slug)
    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", real_ratio)
    assert report.updated == count and report.added == report.removed == 0
    assert sorted(Question.objects.filter(section__cohort__slug=slug).values_list("pk", flat=True)) == ids
    return len(calls), len(queries.captured_queries)


@pytest.mark.django_db
@pytest.mark.usefixtures("media_root")
def test_reworded_questions_sharing_a_long_prefix_cost_linear_comparisons_and_bounded_statements(monkeypatch):
    small_ratios, small_queries = reimport_counting_ratios(monkeypatch, 40, "cost-40")
    large_ratios, large_queries = reimport_counting_ratios(monkeypatch, 160, "cost-160")
    # O(N): a few neighbours per question (quadratic would be 16× for 4× the questions).
    assert large_ratios <= 7 * 160 and large_ratios <= 4.5 * small_ratios
    # One bulk write whatever the size, not a statement per question.
    assert large_queries <= small_queries + 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("media_root")
def test_no_markdown_is_rendered_while_the_import_transaction_is_open(monkeypatch):
    """The real renderer, observed: each call records whether a transaction was open."""
    import_notes_text(notes(5, reworded=False), slug="render-outside")
    in_transaction = []
    real = markdown.github_html

    def observed(text):
        in_transaction.append(connection.in_atomic_block)
        return real(text)

    monkeypatch.setattr(markdown, "github_html", observed)
    import_notes_text(notes(5, reworded=True) + "\n## Helm\n\n- 새 질문?\n  - **새** 답\n", slug="render-outside")
    import_notes_text(notes(3, reworded=False), slug="render-outside-new")
    assert len(in_transaction) >= 12 and not any(in_transaction)
    assert Question.objects.get(question="새 질문?").answer_html == "<ul>\n<li><strong>새</strong> 답</li>\n</ul>\n"
