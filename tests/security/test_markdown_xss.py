"""Every path that turns markdown into HTML neutralises the whole XSS corpus
and keeps the harmless text of each vector."""

import pytest

from mspt3.markdown import render_markdown
from qa.models import Question, SectionExtra
from tests.factories import make_cohort, make_question, make_section
from tests.security.html_checks import assert_safe_fragment, assert_safe_page, inspect_html
from tests.security.xss_vectors import VECTORS, corpus_markdown

by_name = pytest.mark.parametrize("vector", VECTORS, ids=[v.name for v in VECTORS])


def test_the_corpus_has_at_least_sixty_distinct_vectors():
    assert len({v.markdown for v in VECTORS}) == len(VECTORS) >= 60


@by_name
def test_render_markdown_neutralises_the_vector_and_keeps_its_text(vector):
    assert_safe_fragment(render_markdown(vector.markdown), vector.marker)


@by_name
def test_render_markdown_with_an_image_rewriter_still_neutralises(vector):
    """The importer's image_src hook runs inside the sanitiser; a rewriter returning the value unchanged
    must not reopen a door."""
    assert_safe_fragment(render_markdown(vector.markdown, image_src=lambda src: src), vector.marker)


@pytest.mark.django_db
@by_name
def test_question_save_renders_question_and_answer_safely(vector, section):
    question = make_question(section, question=vector.storable, answer=vector.storable)
    stored = Question.objects.get(pk=question.pk)
    assert_safe_fragment(stored.question_html, vector.marker)
    assert_safe_fragment(stored.answer_html, vector.marker)


@pytest.mark.django_db
@by_name
def test_section_extra_save_renders_safely(vector, section):
    extra = SectionExtra.objects.create(section=section, source=vector.storable, position=99)
    assert_safe_fragment(SectionExtra.objects.get(pk=extra.pk).html, vector.marker)


@pytest.mark.django_db
def test_markdownx_preview_endpoint_neutralises_every_vector(client, instructor, cohort):
    client.force_login(instructor)
    for vector in VECTORS:
        response = client.post("/markdownx/markdownify/", {"content": vector.markdown})
        assert response.status_code == 200, vector.name
        assert_safe_fragment(response.content.decode(), vector.marker)


@pytest.mark.django_db
def test_cohort_page_with_the_whole_corpus_is_safe_and_shows_every_marker(client, instructor):
    cohort = make_cohort(public=True, instructors=[instructor])
    section = make_section(cohort, "Docker")
    for vector in VECTORS:
        make_question(section, question=f"질문 {vector.marker}", answer=vector.storable)
    SectionExtra.objects.create(section=section, source=corpus_markdown(), position=999)
    for viewer in (None, instructor):
        if viewer:
            client.force_login(viewer)
        text = assert_safe_page(client.get(f"/cohorts/{cohort.slug}/").content.decode())
        missing = [v.marker for v in VECTORS if v.marker not in text]
        assert not missing


def test_the_checker_itself_catches_what_it_should():
    """Guard against a checker that passes everything."""
    found = inspect_html('<p onclick="x" style="a">t</p><a href=" JaVaScRiPt:x">l</a><script>x</script><svg></svg>')
    assert len(found.problems) == 4 and found.elements == ["script", "svg"]


@pytest.mark.django_db
def test_api_create_renders_every_vector_safely(client, instructor, cohort, section):
    client.force_login(instructor)
    for vector in VECTORS:
        body = {"cohort": cohort.slug, "section": section.pk, "question": vector.storable, "answer": vector.storable}
        response = client.post("/api/questions/", body, content_type="application/json")
        assert response.status_code == 201, (vector.name, response.content)
        assert_safe_fragment(response.json()["question_html"], vector.marker)
        assert_safe_fragment(response.json()["answer_html"], vector.marker)


@pytest.mark.django_db
def test_api_refuses_nul_characters_with_a_400(client, instructor, cohort, section):
    client.force_login(instructor)
    body = {"cohort": cohort.slug, "section": section.pk, "question": "a\x00b"}
    assert client.post("/api/questions/", body, content_type="application/json").status_code == 400


@pytest.mark.django_db
def test_notes_import_renders_every_vector_safely(tmp_path):
    from notes.importer import import_notes_file

    answers = "\n".join(
        f"- 질문 {vector.marker}?\n\n" + "\n".join(f"  {line}" for line in vector.storable.splitlines()) + "\n"
        for vector in VECTORS
    )
    notes = tmp_path / "hostile.md"
    notes.write_text(f"# MSP T3 - XSS 시험\n\n## Docker\n{answers}\n\n### Docker Summary\n\n{corpus_markdown()}\n")
    cohort = import_notes_file(notes).cohort
    questions = {q.question.split("\n")[0]: q for q in Question.objects.filter(section__cohort=cohort)}
    extras = "".join(SectionExtra.objects.filter(section__cohort=cohort).values_list("html", flat=True))
    assert_safe_fragment(extras)
    for vector in VECTORS:
        question = questions[f"질문 {vector.marker}?"]
        assert_safe_fragment(question.answer_html, vector.marker)
