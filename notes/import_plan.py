"""Everything an import decides, made before its transaction: what the site holds
now (a snapshot), what the file says, the three-way merge of the two against
the last imported file, and the HTML of every piece of markdown that will be
written. ``notes.import_write`` then only writes the plan."""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from courses.models import Cohort
from curriculum.models import Chapter, Progress, ScheduleDay
from mspt3 import markdown
from mspt3.uploads import ImageRejected, max_image_bytes, validate_image
from notes import layout as notes_layout
from notes.import_chapters import assign_chapters
from notes.import_report import ImportReport
from notes.layout import short_digest
from notes.parser import document as notes
from notes.parser import parse_notes
from notes.parser.chapters import chapter_range
from notes.parser.matching import Entry, match_questions
from notes.parser.merge import MISSING, UNKNOWN, Conflict, merge3
from notes.parser.parser import cohort_fields, image_paths
from notes.parser.text import content_digest
from qa.chapter_sources import ChapterTables
from qa.images import normalize_image_path
from qa.models import NotesImage, Question, Section, is_pending_answer

# Stands for an image's URL until its row exists (the URL holds the row's id).
PENDING_IMAGE = "/notes-image-pending/"
PARTS = ("theory", "lab")


@dataclass
class Snapshot:
    """The cohort as stored when the import started (``version`` tells whether it moved since)."""

    slug: str
    cohort: Cohort | None = None
    version: int | None = None
    questions: list[Question] = field(default_factory=list)
    sections: dict[str, Section] = field(default_factory=dict)
    progress: dict[int, Progress] = field(default_factory=dict)
    days: dict[int, ScheduleDay] = field(default_factory=dict)
    images: dict[str, NotesImage] = field(default_factory=dict)
    extras_html: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, slug: str) -> Snapshot:
        cohort = Cohort.objects.filter(slug=slug).first()
        if cohort is None:
            return cls(slug)
        return cls(
            slug, cohort, cohort.version,
            questions=list(Question.objects.filter(section__cohort=cohort).select_related("section", "chapter")
                           .order_by("section__position", "position", "id")),
            sections={section.title: section for section in cohort.sections.all()},
            progress={p.chapter.number: p for p in cohort.progress.select_related("chapter")},
            days={day.day: day for day in cohort.schedule_days.select_related("first_chapter", "last_chapter")},
            images={normalize_image_path(image.original_path): image for image in cohort.images.all()},
            extras_html={extra.source: extra.html for section in cohort.sections.prefetch_related("extras")
                         for extra in section.extras.all()},
        )

    @property
    def layout(self) -> list[dict] | None:
        """The cohort's notes layout (notes.layout reads it), None before the first import."""
        return self.cohort.notes_layout if self.cohort else None


@dataclass
class ImageFile:
    path: str  # as first written in the notes
    data: bytes
    content_type: str
    extension: str
    stored: NotesImage | None  # the row it replaces the file of


def _all_text(document: notes.Document):
    for block in document.blocks:
        if isinstance(block, notes.Section):
            yield block.heading + "\n" + block.gap
            for item in block.items:
                yield item.source if isinstance(item, notes.Extra) else item.source_text
        else:
            yield block.text


def _same_file(image: NotesImage, data: bytes) -> bool:
    try:
        with image.file.open("rb") as handle:
            return hashlib.sha256(handle.read()).digest() == hashlib.sha256(data).digest()
    except (OSError, ValueError):
        return False


def read_images(document, snapshot: Snapshot, base_dir, report: ImportReport) -> list[ImageFile]:
    """The images beside the notes that are new or changed, read and checked (nothing stored yet)."""
    root = Path(base_dir).resolve() if base_dir else None
    seen, found = set(), []
    for src in image_paths("".join(_all_text(document))):
        key = normalize_image_path(src)
        if key in seen:  # ./img/x.png and img/x.png are one file, stored once
            continue
        seen.add(key)
        if root is None:
            report.images_missing.append(src)
            continue
        target = (root / normalize_image_path(unquote(src))).resolve()
        if not target.is_relative_to(root):
            report.images_rejected.append(f"{src} (outside the notes folder)")
            continue
        if not target.is_file():
            report.images_missing.append(src)
            continue
        if target.stat().st_size > max_image_bytes():
            report.images_rejected.append(f"{src} (over {max_image_bytes()} bytes)")
            continue
        data = target.read_bytes()
        try:
            validated = validate_image(data)
        except ImageRejected as exc:
            report.images_rejected.append(f"{src} ({' '.join(exc.messages)})")
            continue
        stored = snapshot.images.get(key)
        if stored is not None and _same_file(stored, data):
            continue
        report.images_copied += 1
        found.append(ImageFile(src[:500], data, validated.content_type, validated.extension, stored))
    return found


def check_storage():
    """Fail before the transaction, not after its commit, when image files cannot be stored."""
    name = default_storage.save(f"notes/.probe-{secrets.token_hex(8)}", ContentFile(b""))
    default_storage.delete(name)


@dataclass
class QuestionWrite:
    stored: Question | None  # None: a new row
    section: str
    position: int
    question: str
    answer: str
    chapter: Chapter | None
    origin: str
    source_text: str
    source_digest: str
    base: dict
    question_html: str = ""
    answer_html: str = ""
    chapter_source: str = ""

    @property
    def content_changed(self) -> bool:
        return self.stored is None or (self.question, self.answer) != (self.stored.question, self.stored.answer)


@dataclass
class Plan:
    cohort_fields: dict
    is_public: bool | None  # None: keep the cohort's visibility
    images: list[ImageFile]
    sections: list[tuple[str, str, int]]  # title, heading, position, in the final order
    extras: list[tuple[str, str, int, str, str]]  # section title, kind, position, source, html
    questions: list[QuestionWrite]
    deletes: list[int]
    progress: dict[int, dict[str, bool]]  # chapter number → the part states to store
    progress_deletes: list[int]
    days: dict[int, tuple]  # day → (theory, lab, first chapter number, last chapter number)
    day_deletes: list[int]
    layout: list[dict]
    analysed: dict = field(default_factory=dict)  # the search documents, analysed before the write (digest →)


def _base_of(stored: Question):
    """What the file said about this question at the last import (UNKNOWN when not recorded)."""
    base = stored.import_base or {}
    if base:
        return base
    if stored.origin != Question.Origin.NOTES:
        return None
    if stored.is_unchanged_since_import:
        return {"section": stored.section.title, "question": stored.question, "answer": stored.answer}
    # Imported before bases were stored: its source lines still say what the file said.
    parsed = parse_notes("## Docker\n\n" + stored.source_text).questions
    if len(parsed) == 1 and content_digest(parsed[0].question, parsed[0].answer) == stored.source_digest:
        return {"section": stored.section.title, "question": parsed[0].question, "answer": parsed[0].answer}
    return None


def _shown(value) -> str:
    return "(not there)" if value is MISSING else str(value)



def _done_states(curriculum: notes.Curriculum) -> dict[int, tuple[bool, bool]]:
    """Chapter number → (theory done, lab done), as a curriculum table says."""
    return {row.number: (row.theory_done, row.lab_done) for row in curriculum.rows}

class Planner:
    def __init__(self, document, snapshot: Snapshot, report: ImportReport, *, title, private, prefer_file,
                 chapters, lab_chapters, user):
        self.document = document
        self.snapshot = snapshot
        self.report = report
        self.title = title
        self.private = private
        self.prefer_file = prefer_file
        self.chapters = chapters
        self.lab_chapters = lab_chapters
        self.titles = {number: chapter.title for number, chapter in chapters.items()}
        self.tables = ChapterTables(chapters, lab_chapters, self.titles)

    def merge(self, base, site, file, what: str, question: int | None = None):
        merged = merge3(base, site, file, prefer_file=self.prefer_file)
        if merged.conflict:
            self.report.conflicts.append(Conflict(
                self.snapshot.slug, what, question, _shown(site), _shown(file),
                "file" if self.prefer_file else "site",
            ))
        return merged

    def plan(self, images: list[ImageFile]) -> Plan:
        cohort = self.snapshot.cohort
        title = self.title[:200]
        if cohort is not None:
            stored_title = notes_layout.stored_title(self.snapshot.layout)
            base_title = UNKNOWN if stored_title is None else stored_title
            title = self.merge(base_title, cohort.title, title, "cohort title").value
        self.new_images = {normalize_image_path(image.path): n for n, image in enumerate(images)}
        sections, extras, questions, deletes = self.questions()
        assign_chapters(questions, self.tables)  # references, inference, an instructor's kept
        progress, progress_deletes = self.progress()
        days, day_deletes = self.schedule()
        plan = Plan(
            cohort_fields={"title": title, **cohort_fields(title)},
            is_public=None if self.private is None else not self.private,
            images=images, sections=sections, extras=extras, questions=questions, deletes=deletes,
            progress=progress, progress_deletes=progress_deletes, days=days, day_deletes=day_deletes,
            layout=self.layout(),
        )
        self.render(plan)
        return plan

    # --- questions ---

    def questions(self):
        stored = self.snapshot.questions
        bases = [_base_of(question) for question in stored]
        parsed = [(section.title, q) for section in self.document.sections for q in section.questions]
        matches = match_questions(
            [Entry(title, q.question) for title, q in parsed],
            [Entry(b["section"], b["question"]) if b else Entry(s.section.title, s.question)
             for s, b in zip(stored, bases, strict=True)],
            similar=[b is not None for b in bases],
        )
        by_parsed = {id(parsed[i][1]): j for i, j in matches.items()}
        matched = set(matches.values())
        # Questions of the last import the site deleted since: per section, by digest.
        deleted_on_site = defaultdict(Counter)
        for title, digests in notes_layout.section_digests(self.snapshot.layout):
            deleted_on_site[title].update(digests)
        for j in matched:
            if bases[j]:
                deleted_on_site[bases[j]["section"]][short_digest(bases[j]["question"], bases[j]["answer"])] -= 1

        writes_by_section: dict[str, list] = defaultdict(list)  # items in file order
        trailing: dict[str, list[QuestionWrite]] = defaultdict(list)  # kept where the site put them
        deletes = []
        for j, question in enumerate(stored):
            if j in matched:
                continue
            if question.origin == Question.Origin.SITE:
                trailing[question.section.title].append(self.keep(question, question.section.title, {}))
                self.report.site_kept += 1
                continue
            base = bases[j]
            site = (question.section.title, question.question, question.answer)
            base_value = (base["section"], base["question"], base["answer"]) if base else UNKNOWN
            merged = self.merge(base_value, site, MISSING, f"question {question.pk} (removed from the file)",
                                question.pk)
            if merged.absent:
                deletes.append(question.pk)
                self.report.removed += 1
            else:  # edited on the site: it stays, as the site's own question
                kept = self.keep(question, question.section.title, {})
                kept.origin = Question.Origin.SITE
                trailing[question.section.title].append(kept)

        for section in self.document.sections:
            for item in section.items:
                if isinstance(item, notes.Extra):
                    writes_by_section[section.title].append(item)
                    continue
                j = by_parsed.get(id(item))
                if j is None:
                    digest = short_digest(item.question, item.answer)
                    if deleted_on_site[section.title][digest] > 0:
                        deleted_on_site[section.title][digest] -= 1
                        self.report.site_deletions_kept += 1
                        continue
                    writes_by_section[section.title].append(self.add(section.title, item))
                    continue
                write = self.continue_(stored[j], bases[j], section.title, item)
                if write.section == section.title:
                    writes_by_section[section.title].append(write)
                else:
                    trailing[write.section].append(write)

        sections, extras, writes = [], [], []
        file_titles = [section.title for section in self.document.sections]
        kept_titles = sorted(
            (title for title in trailing if title not in file_titles),
            key=lambda title: self.snapshot.sections[title].position if title in self.snapshot.sections else 0,
        )
        headings = {section.title: section.heading for section in self.document.sections}
        for position, title in enumerate(file_titles + kept_titles, start=1):
            heading = headings.get(title) or self.snapshot.sections[title].heading
            sections.append((title, heading[:300], position))
            items = writes_by_section.get(title, [])
            last = max((k for k, item in enumerate(items) if isinstance(item, QuestionWrite)), default=-1)
            tail = sorted(trailing.get(title, []), key=lambda w: (w.stored.section.position, w.stored.position))
            items[last + 1:last + 1] = tail
            for item_position, item in enumerate(items, start=1):
                if isinstance(item, notes.Extra):
                    extras.append((title, item.kind, item_position, item.source, ""))
                else:
                    item.section, item.position = title, item_position
                    writes.append(item)
        return sections, extras, writes, deletes

    def add(self, section: str, parsed: notes.Question) -> QuestionWrite:
        self.report.added += 1
        return QuestionWrite(
            None, section, 0, parsed.question, parsed.answer, None,
            Question.Origin.NOTES, parsed.source_text, content_digest(parsed.question, parsed.answer),
            {"section": section, "question": parsed.question, "answer": parsed.answer},
        )

    def keep(self, stored: Question, section: str, base: dict) -> QuestionWrite:
        return QuestionWrite(
            stored, section, stored.position, stored.question, stored.answer, stored.chapter, stored.origin,
            stored.source_text, stored.source_digest, base or stored.import_base,
            stored.question_html, stored.answer_html, stored.chapter_source,
        )

    def continue_(self, stored: Question, base, section: str, parsed: notes.Question) -> QuestionWrite:
        base = base or {"section": UNKNOWN, "question": UNKNOWN, "answer": UNKNOWN}
        label = f"question {stored.pk}"
        text = self.merge(base["question"], stored.question, parsed.question, f"{label} question", stored.pk)
        # Two ways of writing "no answer yet" ("", "...", "- ...") are the same answer.
        same_pending = is_pending_answer(stored.answer) and is_pending_answer(parsed.answer)
        file_answer = stored.answer if same_pending else parsed.answer
        answer = self.merge(base["answer"], stored.answer, file_answer, f"{label} answer", stored.pk)
        place = self.merge(base["section"], stored.section.title, section, f"{label} section", stored.pk)
        write = self.keep(stored, place.value, {"section": section, "question": parsed.question,
                                                "answer": parsed.answer})
        write.question, write.answer, write.origin = text.value, answer.value, Question.Origin.NOTES
        write.source_text, write.source_digest = parsed.source_text, content_digest(parsed.question, parsed.answer)
        site_stood = any(
            merged.value == site != file and not merged.conflict
            for merged, site, file in ((text, stored.question, parsed.question),
                                       (answer, stored.answer, file_answer))
        )
        if write.content_changed:
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        self.report.site_edits_kept += site_stood
        return write

    # --- progress and schedule ---

    def progress(self):
        curriculum = self.document.curriculum
        stored = self.snapshot.progress
        stored_curriculum = notes_layout.stored_curriculum(self.snapshot.layout)
        base = _done_states(stored_curriculum) if stored_curriculum is not None else None
        file = _done_states(curriculum) if curriculum else {}
        states, deletes = {}, []
        for number in sorted(set(file) | set(stored) | set(base or {})):
            if number not in self.chapters:
                continue
            progress = stored.get(number)
            site = (progress.theory_done, progress.lab_done) if progress else (False, False)
            if base is not None:
                base_row = base.get(number, (False, False))
            else:
                base_row = (False, False) if not stored else (UNKNOWN, UNKNOWN)
            file_row = file.get(number, (False, False))
            state = {}
            for k, part in enumerate(PARTS):
                merged = self.merge(base_row[k], site[k], file_row[k], f"chapter {number} {part}")
                state[part] = merged.value
                self.report.progress_changed += merged.value != site[k]
            if number in file or any(state.values()):
                states[number] = state
            elif progress is not None:
                deletes.append(progress.pk)
        return states, deletes

    def spans(self, days: list[notes.ScheduleEntry]) -> dict[int, tuple]:
        """Day → (theory, lab, first chapter, last chapter), each day's range starting after the last."""
        default = {day.day: day for day in ScheduleDay.objects.default().select_related("first_chapter",
                                                                                       "last_chapter")}
        out, lower = {}, 1
        for entry in days:
            day, theory, lab = entry.day, entry.theory, entry.lab
            span = None
            for text in (theory, lab):
                span = span or chapter_range(text, lab_chapters=self.lab_chapters, titles=self.titles, lower=lower)
            if span is None and day in default:
                span = (default[day].first_chapter.number, default[day].last_chapter.number)
            if span is None:
                first = min(max(lower, min(self.chapters)), max(self.chapters))
                span = (first, first)
            out[day] = (theory[:200], lab[:200], *span)
            lower = span[1] + 1
        return out

    def schedule(self):
        schedule = self.document.schedule
        stored = self.snapshot.days
        stored_schedule = notes_layout.stored_schedule(self.snapshot.layout)
        base = self.spans(stored_schedule.days) if stored_schedule is not None else None
        file = self.spans(schedule.days) if schedule else {}
        self.report.schedule_days = len(file)
        states, deletes = {}, []
        for number in sorted(set(file) | set(stored) | set(base or {})):
            day = stored.get(number)
            site = (day.theory, day.lab, day.first_chapter.number, day.last_chapter.number) if day else MISSING
            if base is not None:
                base_day = base.get(number, MISSING)
            else:
                base_day = MISSING if day is None else UNKNOWN
            merged = self.merge(base_day, site, file.get(number, MISSING), f"day {number} schedule")
            self.report.schedule_changed += merged.value != site
            if merged.absent:
                if day is not None:
                    deletes.append(day.pk)
            else:
                states[number] = merged.value
        return states, deletes

    # --- layout and rendering ---

    def layout(self) -> list[dict]:
        """The document's blocks in order (notes.layout); text the site does not model is
        kept verbatim for the export, and its HTML is filled by ``render``."""
        return notes_layout.layout_of(self.document)

    def image_src(self, src: str) -> str:
        key = normalize_image_path(src)
        if key in self.new_images:
            return f"{PENDING_IMAGE}{self.new_images[key]}/"
        if key in self.snapshot.images:
            return reverse("notes-image", kwargs={"pk": self.snapshot.images[key].pk})
        return src

    def html(self, text: str, stored_text: str | None = None, stored_html: str = "") -> str:
        """Rendered once; a text the site already rendered is reused unless it shows images."""
        if stored_text == text and stored_html and "![" not in text and "<img" not in text:
            return stored_html
        return markdown.render_markdown(text, image_src=self.image_src) if text.strip() else ""

    def render(self, plan: Plan):
        for write in plan.questions:
            stored = write.stored
            write.question_html = self.html(write.question, stored and stored.question, write.question_html)
            write.answer_html = self.html(write.answer, stored and stored.answer, write.answer_html)
        plan.extras[:] = [
            (title, kind, position, source, self.html(source, source, self.snapshot.extras_html.get(source, "")))
            for title, kind, position, source, _ in plan.extras
        ]
        notes_layout.render_texts(plan.layout, self.html)
