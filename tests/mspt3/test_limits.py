"""mspt3.limits, directly: what may be rendered, and the one-line reasons for what may not."""

import glob

import pytest

from mspt3 import limits
from mspt3.limits import check_markdown, check_notes

SEEDS = sorted(glob.glob("/work/shared/seeds/*.txt"))


def nested_quote(depth):
    return ">" * depth + " x"


def nested_list(depth):
    return "".join("  " * level + "- x\n" for level in range(depth))


@pytest.mark.parametrize("path", SEEDS)
def test_every_real_notes_file_is_well_within_the_limits(path):
    text = open(path, encoding="utf-8").read()
    assert check_notes(text) is None
    # …with room to spare: four times as deep would still pass.
    assert check_markdown(text, max_chars=None) is None


@pytest.mark.parametrize("make", [nested_quote, nested_list])
def test_depth_up_to_the_limit_passes_and_one_more_is_refused(make):
    assert check_markdown(make(limits.MAX_CONTAINER_DEPTH), max_chars=None) is None
    problem = check_markdown(make(limits.MAX_CONTAINER_DEPTH + 1), max_chars=None)
    assert "the limit is 16 levels" in str(problem)


def test_quotes_inside_lists_count_together():
    text = "".join("  " * i + "- x\n" for i in range(10)) + "  " * 10 + ">" * 7 + " y\n"
    assert "16 levels" in str(check_markdown(text, max_chars=None))


def test_raw_html_nesting_is_bounded_too():
    assert check_markdown("<div>" * 60 + "x", max_chars=None) is None
    assert "HTML nested more than 64" in str(check_markdown("<div>" * 65 + "x", max_chars=None))


def test_size_is_checked_first_and_names_both_numbers():
    problem = check_markdown("a" * 2001, max_chars=2000)
    assert str(problem) == "2,001 characters long; the limit is 2,000 characters"
    assert check_markdown("a" * 2000, max_chars=2000) is None


def test_a_refusal_names_the_line_it_found():
    text = "첫 줄\n\n둘째\n\n" + nested_quote(40)
    problem = check_markdown(text, max_chars=None)
    assert problem.line == 5 and str(problem).startswith("line 5: ")


def test_wide_tables_are_refused_by_their_delimiter_row():
    table = "|" + "a|" * 65 + "\n|" + "-|" * 65 + "\n"
    assert str(check_markdown(table, max_chars=None)) == "line 2: a table with 65 columns; the limit is 64 columns"
    assert check_markdown(table.replace("a|" * 65, "a|" * 64).replace("-|" * 65, "-|" * 64), max_chars=None) is None


def test_a_table_whose_short_rows_would_multiply_into_cells_is_refused():
    header = "|" + "a|" * 60 + "\n|" + "-|" * 60 + "\n"
    assert check_markdown(header + "|b|\n" * 10, max_chars=None) is None
    assert "cells" in str(check_markdown(header + "|b|\n" * 3000, max_chars=None))


def test_expansion_is_bounded_for_long_texts_but_short_ones_have_room():
    assert check_markdown(nested_quote(16), max_chars=None) is None  # 18 chars → ~450 of HTML
    problem = check_markdown((nested_quote(16) + "\n\n") * 1000, max_chars=None)
    assert "× its size; the limit is 10×" in str(problem) and problem.line is not None


def test_a_notes_file_may_nest_answers_one_list_deeper_than_the_site():
    answer = nested_list(limits.MAX_CONTAINER_DEPTH)
    indented = "".join("  " + line + "\n" for line in answer.splitlines())
    notes = "# T\n\n## Docker\n\n- 질문?\n" + indented
    assert check_markdown(notes, max_chars=None) is not None
    assert check_notes(notes) is None


def test_empty_and_plain_text_pass():
    assert check_markdown("", max_chars=10) is None
    assert check_markdown("그냥 문장입니다.", max_chars=None) is None


def test_highlighting_stops_at_its_budget_so_a_long_code_answer_renders_cheaply():
    from mspt3.markdown import HIGHLIGHT_BUDGET_CHARS, render_markdown

    block = "```python\n" + "x = f(y)\n" * (HIGHLIGHT_BUDGET_CHARS // 9 - 20) + "```\n\n"
    html = render_markdown(block + block)
    first, second = html.split("</pre>")[:2]
    assert '<span class="' in first and '<span class="' not in second
    assert "x = f(y)" in second
