"""Generated notes documents: they round-trip and re-import without duplicates."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mspt3.markdown import github_html
from notes.exporter import export_cohort
from notes.importer import import_notes_text
from notes.parser import parse_notes, write_notes
from qa.models import Question, is_pending_answer

WORDS = ["컨테이너", "이미지", "볼륨", "Pod", "Service", "`docker ps`", "**중요**", "[문서](https://e.test/x)",
         "레이어", "kubectl", "네트워크", "CH03", "실습", "?"]
TOPICS = ["Docker", "Kubernetes", "Helm", "K8s 심화", "도커 실습"]

sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
code_block = st.tuples(st.sampled_from(["bash", "yaml", "", "Dockerfile"]), st.lists(
    st.sampled_from(["# 주석 줄", "- 목록처럼 보이는 줄", "docker run -d nginx", "  key: value", ""]),
    min_size=1, max_size=4,
)).map(lambda t: "```" + t[0] + "\n" + "\n".join(t[1]) + "\n```")


@st.composite
def answers(draw):
    """(lines under the bullet, a code block after the item at column 0 or None)."""
    kind = draw(st.sampled_from(["pending", "empty", "bullets", "nested", "code", "paragraph"]))
    if kind == "pending":
        return ["- ..."], None
    if kind == "empty":
        return [draw(st.sampled_from(["- ", "-"]))] if draw(st.booleans()) else [], None
    if kind == "paragraph":
        return ["", draw(sentence)], None  # a paragraph answer sits after a blank line
    lines = [f"- {draw(sentence)}" for _ in range(draw(st.integers(1, 3)))]
    if kind == "nested":
        lines[1:1] = [f"  - {draw(sentence)}", f"    - {draw(sentence)}"]
    if kind == "code":
        if draw(st.booleans()):
            return lines, draw(code_block)
        lines += ["", *draw(code_block).split("\n")]
    return lines, None


@st.composite
def documents(draw):
    """Notes text in the seeds' style, plus the (section, question) pairs it holds."""
    titles = draw(st.lists(st.sampled_from(TOPICS), min_size=1, max_size=3, unique=True))
    out = ["# MSP T3 - 생성된 노트", ""]
    expected = []
    for title in titles:
        out += [f"## {title}", ""]
        for _ in range(draw(st.integers(0, 4))):
            question = draw(sentence)
            under, after = draw(answers())
            bullet = draw(st.sampled_from(["- ", "* ", " - "]))
            out.append(bullet + question)
            out += [" " * len(bullet) + line if line.strip() else "" for line in under]
            out.append("")
            if after:
                out += [after, ""]
            expected.append((title, question))
        if draw(st.booleans()):
            out += ["---", ""]
    return "\n".join(out) + "\n", expected


@settings(max_examples=40, deadline=None)
@given(documents())
def test_generated_documents_parse_to_their_questions_and_write_back_exactly(doc):
    text, expected = doc
    document = parse_notes(text)
    assert [(s.title, q.question) for s in document.sections for q in s.questions] == expected
    assert write_notes(document) == text


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents(), edited=st.integers(0, 100))
def test_generated_documents_round_trip_through_the_database_and_reimport_without_duplicates(doc, edited):
    text, expected = doc
    report = import_notes_text(text, slug="generated")
    cohort = report.cohort
    questions = Question.objects.filter(section__cohort=cohort)
    assert questions.count() == len(expected)
    assert all(q.pending == is_pending_answer(q.answer) for q in questions)
    exported = export_cohort(cohort)
    assert github_html(exported) == github_html(text)
    ids = set(questions.values_list("pk", flat=True))
    if ids:
        question = questions.order_by("pk")[edited % len(ids)]
        question.answer = "- 사이트에서 채운 답\n  - 한 줄 더"
        question.save()
    again = import_notes_text(export_cohort(cohort), slug="generated")
    assert (again.added, again.removed) == (0, 0)
    assert set(questions.values_list("pk", flat=True)) == ids
    cohort.delete()
