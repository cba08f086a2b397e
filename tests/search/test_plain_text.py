"""search.highlight.plain_text reads the renderer's own output exactly as Django's strip_tags
does (it replaced it on the search page, where it runs forty times per request)."""

import html
from pathlib import Path

from django.utils.html import strip_tags
from hypothesis import given, settings
from hypothesis import strategies as st

from mspt3.markdown import render_markdown
from notes.parser import parse_notes, read_notes_file
from search.highlight import plain_text

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notes"


def by_strip_tags(rendered: str) -> str:
    return " ".join(html.unescape(strip_tags(rendered)).split())


def notes_texts():
    files = sorted(FIXTURES.glob("*.md")) + sorted(SEEDS.glob("*.txt"))
    assert files, "the project's notes fixtures are missing"
    for path in files:
        for section in parse_notes(read_notes_file(path, max_bytes=10_000_000)).sections:
            for question in section.questions:
                yield question.question
                yield question.answer


def test_same_text_as_strip_tags_on_every_question_and_answer_of_the_notes():
    texts = [text for text in notes_texts() if text]
    assert len(texts) > 40  # the fixtures alone: 56 (the seeds add ~120 where they exist)
    for text in texts:
        rendered = render_markdown(text)
        assert plain_text(rendered) == by_strip_tags(rendered), text


def test_an_attribute_with_brackets_and_quotes_is_not_text():
    rendered = render_markdown('![a > b "c"](pic.png) 뒤의 글')
    assert plain_text(rendered) == by_strip_tags(rendered) == "뒤의 글"
    # A quoted ">" (not what nh3 writes, but well-formed HTML) does not end the tag either.
    assert plain_text('<p><img alt="a > b"> 뒤의 글</p>') == "뒤의 글"


def test_escaped_markup_in_the_text_stays_text():
    assert plain_text(render_markdown("<b>굵게</b> 쓰면? `<pod>`")) == "굵게 쓰면? <pod>"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 가나<>&\"'`*_[]()!#-\n=|~:/")), max_size=80))
def test_same_text_as_strip_tags_on_any_rendered_markdown(text):
    rendered = render_markdown(text)
    assert plain_text(rendered) == by_strip_tags(rendered)
