"""notes.layout owns the shape of Cohort.notes_layout: what the importer writes is what the
exporter and the cohort page read."""

import json

from notes.layout import (
    CURRICULUM,
    SCHEDULE,
    SECTION,
    TEXT,
    TITLE,
    PageBlock,
    StoredSection,
    entry,
    layout_of,
    page_blocks,
    render_texts,
    rewrite_html,
    stored_blocks,
    stored_curriculum,
    stored_schedule,
    stored_title,
)
from notes.parser import document as notes
from notes.parser import parse_notes
from tests.notes.notes_support import DEMO_FILE

NOTES = DEMO_FILE.read_text(encoding="utf-8")


def test_the_layout_of_a_document_names_each_block_in_order():
    layout = layout_of(parse_notes(NOTES))
    kinds = [item["kind"] for item in layout]
    assert kinds[0] == TITLE and CURRICULUM in kinds and SCHEDULE in kinds and SECTION in kinds
    assert entry(layout, TITLE)["title"] == "MSP T3 - 데모 코호트 (AWS Track)"
    assert entry(layout, SECTION)["title"] == "Docker" and len(entry(layout, SECTION)["digests"]) == 9


def test_the_page_reads_the_plans_own_heading_as_the_schedules_title():
    blocks = list(page_blocks(layout_of(parse_notes(NOTES))))
    assert PageBlock("schedule_title", title="MSP T3 강의계획", html="") in blocks
    assert [b.title for b in blocks if b.kind == SECTION] == ["Docker", "Kubernetes", "Helm"]
    assert [b.kind for b in blocks if b.kind in (CURRICULUM, SCHEDULE)] == [CURRICULUM, SCHEDULE]


def test_empty_text_shows_nothing_and_no_layout_reads_as_nothing():
    assert list(page_blocks([{"kind": TEXT, "text": "\n\n", "html": ""}])) == []
    assert list(page_blocks(None)) == [] and entry(None, TITLE) is None


def test_the_stored_layout_reads_back_as_the_parsers_blocks():
    """What the exporter and the planner get back is what the import stored, as parser blocks."""
    document = parse_notes(NOTES)
    layout = json.loads(json.dumps(layout_of(document)))  # as the JSONField returns it
    back = list(stored_blocks(layout))
    assert [b for b in back if not isinstance(b, StoredSection)] == [
        b for b in document.blocks if not isinstance(b, notes.Section)
    ]
    assert [(b.title, b.gap) for b in back if isinstance(b, StoredSection)] == [
        (s.title, s.gap) for s in document.sections
    ]
    assert stored_title(layout) == document.title
    assert stored_curriculum(layout) == document.curriculum
    assert stored_schedule(layout) == document.schedule


def test_a_layout_without_an_import_has_no_stored_blocks():
    assert list(stored_blocks(None)) == []
    assert (stored_title(None), stored_curriculum([]), stored_schedule(None)) == (None, None, None)


def test_verbatim_entries_get_their_html_only_through_the_layout():
    layout = [{"kind": TEXT, "text": "![a](img/a.png)\n", "html": ""}, {"kind": SECTION, "title": "Docker", "gap": ""}]
    render_texts(layout, lambda text: f"<p>{text.strip()}</p>")
    rewrite_html(layout, lambda html: html.replace("img/a.png", "/media/a.png"))
    assert layout == [
        {"kind": TEXT, "text": "![a](img/a.png)\n", "html": "<p>![a](/media/a.png)</p>"},
        {"kind": SECTION, "title": "Docker", "gap": ""},
    ]
