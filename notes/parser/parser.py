"""Notes markdown → :class:`Document`.

The block structure comes from a CommonMark parser (markdown-it-py, with GFM
tables), whose tokens carry the source lines they span; this module only
decides which of those blocks the site models. Extras over CommonMark:

* CRLF and lone CR are read as LF; a missing final newline is kept.
* ``##MSP T3 강의계획`` (no space after ``#``) is text on GitHub, but its
  author meant a heading, so it counts as one for structure (written back as is).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from notes.parser.document import (
    Curriculum,
    CurriculumRow,
    Document,
    Extra,
    Question,
    Schedule,
    ScheduleEntry,
    Section,
    Text,
    Title,
)

_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])

_PSEUDO_HEADING = re.compile(r"^(#{1,6})(?=[^#\s])")
_TOPIC = re.compile(r"docker|kubernetes|k8s|helm|minikube|container|도커|쿠버네티스|헬름|컨테이너", re.I)
_BARE_TOPIC = re.compile(r"\W*(?:docker|kubernetes|k8s|helm|도커|쿠버네티스|헬름)\W*", re.I)
# Headings that are boards, lists or links, not questions, even when they name a topic.
_NOT_QA = re.compile(
    r"summary|요약|정리|cheat|치트|playlist|플레이\s*리스트|재생\s*목록|survey|설문|후기|참고|링크|\blinks?\b|reference",
    re.I,
)
_SUMMARY = re.compile(r"summary|요약|정리|cheat|치트", re.I)
_BULLET = re.compile(r"^( {0,3})([-*+])([ \t]*)")
_DAY = re.compile(r"^\s*[-*+]\s+(\d{1,2})\s*일차")
_DAY_THEORY = re.compile(r"^\s*[-*+]\s+이론\s*[:：]\s*(.*?)\s*$")
_DAY_LAB = re.compile(r"^\s*[-*+]\s+실습\s*[:：]\s*(.*?)\s*$")
_STRUCK = re.compile(r"~~?[^~].*~~?|~~?[^~]~~?")


def split_lines(text: str) -> list[str]:
    """Lines with their ``\\n`` (the last one may lack it); CRLF and CR read as LF."""
    parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def is_topic_heading(text: str) -> bool:
    """A heading naming a course topic (Docker, Kubernetes…), not a board or a list."""
    words = re.sub(r"[*_`~]", " ", text)
    return bool(_TOPIC.search(words)) and not _NOT_QA.search(words)


def lone_heading_text(block: str) -> str | None:
    """The text of a block that is one heading line (``## X``, or the notes' ``##X``), else None."""
    lines = block.strip().splitlines()
    if len(lines) != 1:
        return None
    match = re.fullmatch(r"#{1,6}\s*([^#\s].*?)\s*#*", lines[0])
    return match.group(1) if match else None


def is_struck(cell: str) -> bool:
    return bool(_STRUCK.fullmatch(cell.strip()))


@dataclass
class _Heading:
    start: int
    end: int
    level: int
    text: str


@dataclass
class _Item:
    start: int
    end: int
    paragraph: tuple[int, int] | None  # the item's first child when it is a paragraph


class _Structure:
    """The top-level blocks markdown-it found, by source line."""

    def __init__(self, lines: list[str]):
        tokens = _MD.parse("".join(lines))
        protected = {
            line for tok in tokens if tok.type in ("fence", "code_block", "html_block") and tok.map
            for line in range(*tok.map)
        }
        pseudo = [i for i, line in enumerate(lines) if i not in protected and _PSEUDO_HEADING.match(line)]
        if pseudo:
            patched = list(lines)
            for i in pseudo:
                patched[i] = _PSEUDO_HEADING.sub(r"\1 ", patched[i], count=1)
            tokens = _MD.parse("".join(patched))
        self.headings: list[_Heading] = []
        self.items: dict[int, _Item] = {}
        self.blocks: list[tuple[str, int, int]] = []  # (token type, start, end) at top level
        self.rules: set[int] = set()
        for index, tok in enumerate(tokens):
            if tok.level == 0 and tok.map and tok.nesting >= 0:
                self.blocks.append((tok.type, *tok.map))
            if tok.type == "heading_open" and tok.level == 0:
                level = len(tok.markup) if tok.markup.startswith("#") else (1 if tok.markup == "=" else 2)
                text = tokens[index + 1].content.strip()
                self.headings.append(_Heading(tok.map[0], tok.map[1], level, text))
            elif tok.type == "hr" and tok.level == 0:
                self.rules.add(tok.map[0])
            elif tok.type == "list_item_open" and tok.level == 1 and tok.markup in "-*+":
                first = tokens[index + 1]
                paragraph = tuple(first.map) if first.type == "paragraph_open" else None
                if first.type == "heading_open" and first.markup == "-":
                    # "- question" over an empty "  -": CommonMark reads a setext heading,
                    # the author wrote a question with an empty answer bullet.
                    paragraph = (first.map[0], first.map[1] - 1)
                self.items[tok.map[0]] = _Item(tok.map[0], tok.map[1], paragraph)


def _dedent(line: str, columns: int) -> str:
    """Remove up to ``columns`` columns of leading whitespace (tabs stop every 4)."""
    col = 0
    for i, char in enumerate(line):
        if col >= columns or char not in " \t":
            return line[i:]
        col = col + 1 if char == " " else (col // 4 + 1) * 4
        if col > columns:
            return " " * (col - columns) + line[i + 1:]
    return ""


def _indent_width(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def bullet_column(line: str) -> int:
    """The column of a bullet line's marker."""
    return len(_BULLET.match(line).group(1))


def _content_indent(line: str) -> int:
    """Column where a bullet item's content starts (CommonMark's rule, 1–4 spaces after the marker)."""
    match = _BULLET.match(line)
    lead, spaces = len(match.group(1)), len(match.group(3).expandtabs(4))
    if not line[match.end():].strip() or spaces > 4:
        return lead + 2
    return lead + 1 + spaces


def _clean_block(lines: list[str]) -> str:
    """Lines → markdown text: whitespace-only lines emptied, blank edges dropped."""
    out = [line.rstrip("\n") if line.strip() else "" for line in lines]
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def split_table_row(line: str) -> list[tuple[int, int]]:
    """Spans (start, end) of a GFM table row's cells, between unescaped pipes."""
    body = line.rstrip("\n")
    pipes = [i for i, char in enumerate(body) if char == "|" and (i == 0 or body[i - 1] != "\\")]
    edges = [-1, *pipes, len(body)]
    spans = [(edges[k] + 1, edges[k + 1]) for k in range(len(edges) - 1)]
    if spans and not body[: spans[0][1]].strip():
        spans.pop(0)
    if spans and not body[spans[-1][0]:].strip():
        spans.pop()
    return spans


class _Parser:
    def __init__(self, text: str):
        self.lines = split_lines(text)
        self.structure = _Structure(self.lines)
        self.blocks: list = []
        self.section_titles: set[str] = set()

    def text(self, start: int, end: int) -> str:
        return "".join(self.lines[start:end])

    def emit_text(self, start: int, end: int):
        if start >= end:
            return
        if self.blocks and isinstance(self.blocks[-1], Text):
            self.blocks[-1].text += self.text(start, end)
        else:
            self.blocks.append(Text(self.text(start, end)))

    def parse(self) -> Document:
        headings = self.structure.headings
        self.outside(0, headings[0].start if headings else len(self.lines))
        index = 0
        while index < len(headings):
            heading = headings[index]
            following = headings[index + 1].start if index + 1 < len(headings) else len(self.lines)
            is_title = (
                heading.level == 1 and not _BARE_TOPIC.fullmatch(heading.text)
                and not any(isinstance(block, (Title, Section)) for block in self.blocks)
            )
            if is_title:
                self.blocks.append(Title(self.text(heading.start, heading.end), heading.text))
                self.outside(heading.end, following)
                index += 1
            elif is_topic_heading(heading.text):
                stop = index + 1
                while (
                    stop < len(headings) and headings[stop].level > heading.level
                    and not is_topic_heading(headings[stop].text)
                ):
                    stop += 1
                end = headings[stop].start if stop < len(headings) else len(self.lines)
                self.blocks.append(self.section(heading, headings[index + 1:stop], end))
                index = stop
            else:
                self.outside(heading.start, following)
                index += 1
        return Document(self.blocks)

    # --- outside topic sections: verbatim text, curriculum table, schedule ---

    def outside(self, start: int, end: int):
        position = start
        for kind, first, last in self.structure.blocks:
            if not start <= first < end:
                continue
            modelled = None
            if kind == "table_open" and not any(isinstance(b, Curriculum) for b in self.blocks):
                modelled = self.curriculum(first, last)
            elif kind == "bullet_list_open" and not any(isinstance(b, Schedule) for b in self.blocks):
                while last > first + 1 and not self.lines[last - 1].strip():
                    last -= 1
                modelled = self.schedule(first, last)
            if modelled:
                self.emit_text(position, first)
                self.blocks.append(modelled)
                position = last
        self.emit_text(position, end)

    def curriculum(self, start: int, end: int) -> Curriculum | None:
        rows_lines = self.lines[start:end]
        theory_col = lab_col = None
        for line in rows_lines[2:]:
            cells = [line[a:b].lower() for a, b in split_table_row(line)]
            for col, cell in enumerate(cells):
                if theory_col is None and "[book]" in cell:
                    theory_col = col
                if lab_col is None and "[hands-on]" in cell:
                    lab_col = col
        if theory_col is None:
            return None
        rows = []
        for index, line in enumerate(rows_lines[2:], start=2):
            spans = split_table_row(line)
            cells = [line[a:b].strip() for a, b in spans]
            if not cells or not re.fullmatch(r"\d{1,2}", cells[0]) or len(cells) <= theory_col:
                continue
            lab = cells[lab_col] if lab_col is not None and lab_col < len(cells) else ""
            has_lab = bool(lab.strip("-~ "))
            rows.append(CurriculumRow(
                line=index, number=int(cells[0]), theory_col=theory_col,
                lab_col=lab_col if has_lab else None,
                theory_done=is_struck(cells[theory_col]), lab_done=has_lab and is_struck(lab),
            ))
        return Curriculum(self.text(start, end), rows) if rows else None

    def schedule(self, start: int, end: int) -> Schedule | None:
        if not _DAY.match(self.lines[start]):
            return None
        days: list[ScheduleEntry] = []
        for line in self.lines[start:end]:
            if match := _DAY.match(line):
                days.append(ScheduleEntry(int(match.group(1)), "", ""))
            elif (match := _DAY_THEORY.match(line)) and days:
                days[-1].theory = match.group(1)
            elif (match := _DAY_LAB.match(line)) and days:
                days[-1].lab = match.group(1)
        return Schedule(self.text(start, end), days)

    # --- topic sections: questions and extras ---

    def section(self, heading: _Heading, subheadings: list[_Heading], end: int) -> Section:
        title = heading.text[:200] or "Q&A"
        base, n = title, 2
        while title in self.section_titles:
            title, n = f"{base} ({n})", n + 1
        self.section_titles.add(title)
        section = Section(title=title, heading=self.text(heading.start, heading.end).rstrip("\n"))

        # A board under a summary heading runs to the next heading: its bullets are not questions.
        boards = {}
        for k, sub in enumerate(subheadings):
            if _NOT_QA.search(sub.text):
                boards[sub.start] = subheadings[k + 1].start if k + 1 < len(subheadings) else end
        sub_starts = {sub.start: sub for sub in subheadings}
        # The author's top level: a bullet in column 0 or 1. A deeper bullet that CommonMark
        # starts a new list with (after a column-0 fence, or beside "-  text") is still an answer.
        questions = {
            line for line, item in self.structure.items.items()
            if heading.end <= line < end and item.paragraph and item.paragraph[0] == line
            and bullet_column(self.lines[line]) <= 1
            and not any(a <= line < b for a, b in boards.items())
        }
        boundaries = sorted(questions | set(sub_starts))

        lead_end = boundaries[0] if boundaries else end
        gap_end = heading.end
        while gap_end < lead_end and not self.lines[gap_end].strip():
            gap_end += 1
        section.gap = self.text(heading.end, gap_end)
        segments = [(None, gap_end, lead_end)] if gap_end < lead_end else []
        segments += [
            (line, line, boundaries[k + 1] if k + 1 < len(boundaries) else end)
            for k, line in enumerate(boundaries)
        ]
        for starter, start, stop in segments:
            closes = stop == end or stop in sub_starts
            rule = self.trailing_rule(start, stop) if closes else stop
            if starter in questions:
                section.items.append(self.question(start, rule))
            else:
                kind = "summary" if starter in sub_starts and _SUMMARY.search(sub_starts[starter].text) else "text"
                section.items.append(Extra(kind, self.text(start, rule)))
            if rule < stop:
                section.items.append(Extra("text", self.text(rule, stop)))
        return section

    def trailing_rule(self, start: int, stop: int) -> int:
        """Where a closing ``---`` (plus blank lines) begins, so it stays the section's separator."""
        last = stop - 1
        while last > start and not self.lines[last].strip():
            last -= 1
        return last if last > start and last in self.structure.rules else stop

    def question(self, start: int, stop: int) -> Question:
        item = self.structure.items[start]
        item_end = min(item.end, stop)
        paragraph_end = min(item.paragraph[1], item_end)
        indent = _content_indent(self.lines[start])
        first = _BULLET.sub("", self.lines[start], count=1).lstrip(" \t")
        question_lines = [first] + [_dedent(line, indent) for line in self.lines[start + 1:paragraph_end]]
        question = "\n".join(line.rstrip("\n") for line in question_lines).rstrip()
        answer_lines = [_dedent(line, indent) for line in self.lines[paragraph_end:item_end]]
        # Answer lines CommonMark put outside the item (after a column-0 fence, or under
        # "-  text"): dedented only as far as all of them are, so code keeps its columns.
        after = self.lines[item_end:stop]
        common = min((_indent_width(line) for line in after if line.strip()), default=0)
        answer = _clean_block(answer_lines + [_dedent(line, min(common, indent)) for line in after])
        return Question(question, answer, self.text(start, stop))


def parse_notes(text: str) -> Document:
    """Parse notes markdown into blocks; ``write_notes(parse_notes(t))`` gives back ``t`` (LF line ends)."""
    return _Parser(text).parse()


_PROGRAM = re.compile(r"MSP\s*T\s*(\d+)", re.I)
_RUN_CODE = re.compile(r"(?<!\d)(\d{2}-\d+\s*차|\d+\s*차)")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_TRACK = re.compile(r"([A-Za-z]+)\s+Track", re.I)


def cohort_fields(title: str) -> dict[str, str]:
    """Program, run code and track as far as a notes title names them.

    ``MSP T3 - 23-3차`` → MSP T3 / 23-3차; ``Docker & Kubernetes 노트 (MSP T2 23-2차)``
    → MSP T2 / 23-2차; ``MSP T3 - 2024 AWS Track`` → MSP T3 / 2024 / AWS;
    ``MSP T3 - mspt3_24-2차 (SCP Track)`` → MSP T3 / 24-2차 / SCP.
    """
    program = _PROGRAM.search(title)
    run = _RUN_CODE.search(title) or _YEAR.search(title)
    track = _TRACK.search(title)
    return {
        "program": f"MSP T{program.group(1)}" if program else "",
        "run_code": re.sub(r"\s+", "", run.group(1)) if run else "",
        "track": track.group(1).upper() if track else "",
    }


def image_paths(text: str) -> list[str]:
    """Relative image paths the document shows (not those inside code), each once, as first written."""
    seen, paths = set(), []

    def walk(tokens):
        for tok in tokens:
            if tok.type == "image":
                src = tok.attrGet("src") or ""
                if src and not re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", src, re.I) and src not in seen:
                    seen.add(src)
                    paths.append(src)
            if tok.children:
                walk(tok.children)

    walk(_MD.parse(text.replace("\r\n", "\n")))
    return paths
