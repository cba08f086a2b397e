"""Apply a notes file to the database: create the cohort, or sync it in place.

One transaction per document. Re-importing a newer version of the same file
keeps question ids (same text, or text only touched up), updates answers, adds
and removes questions, and leaves questions added on the site in place.
Replaying a file's versions one by one ends in the state a fresh import of the
last version gives.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from courses.models import Cohort
from curriculum.models import Chapter, Lab, Progress, ScheduleDay
from mspt3.markdown import render_markdown
from mspt3.uploads import ImageRejected, max_image_bytes, random_file_name, validate_image
from qa.images import image_src_for, normalize_image_path
from qa.models import NotesImage, Question, Section, SectionExtra, content_digest
from qa.notes import NotesContentError, NotesError, check_notes_text, find_chapter, parse_notes, read_notes_file
from qa.notes import document as notes
from qa.notes.chapters import chapter_range
from qa.notes.parser import cohort_fields, image_paths

# A question whose wording changed this little is the same question (a typo fixed).
SAME_QUESTION_RATIO = 0.8
_SLUG = re.compile(r"^[-\w]+\Z")


@dataclass
class ImportReport:
    slug: str
    cohort: Cohort | None = None
    created: bool = False
    dry_run: bool = False
    sections: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    site_kept: int = 0  # questions added on the site, left in place
    site_edits_kept: int = 0  # site edits of imported questions the file did not touch
    pending: int = 0
    chapter_links: int = 0
    progress_changed: int = 0
    schedule_days: int = 0
    images_copied: int = 0
    images_missing: list[str] = field(default_factory=list)
    images_rejected: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged, "removed": self.removed,
            "site_kept": self.site_kept, "site_edits_kept": self.site_edits_kept, "pending": self.pending,
            "chapter_links": self.chapter_links, "images_copied": self.images_copied,
            "images_missing": len(self.images_missing), "images_rejected": len(self.images_rejected),
        }

    def summary(self) -> str:
        verb = "would be " if self.dry_run else ""
        action = "created" if self.created else "synced"
        lines = [
            f"{self.slug}: {verb}{action}{' (dry run, nothing written)' if self.dry_run else ''}",
            f"  questions: {self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.removed} removed; {self.pending} pending, {self.chapter_links} linked to a chapter; "
            f"{self.sections} sections",
        ]
        if self.site_kept:
            lines.append(f"  {self.site_kept} question(s) added on the site are not in the file: kept")
        if self.site_edits_kept:
            lines.append(f"  {self.site_edits_kept} answer(s) edited on the site and unchanged in the file: kept")
        if self.progress_changed or self.schedule_days:
            lines.append(
                f"  progress: {self.progress_changed} chapter(s) changed; schedule: {self.schedule_days} day(s)"
            )
        lines.append(f"  images: {self.images_copied} copied")
        lines += [f"  image missing (not beside the notes): {path}" for path in self.images_missing]
        lines += [f"  image refused: {reason}" for reason in self.images_rejected]
        return "\n".join(lines)


class _DryRun(Exception):
    """Raised to roll back a dry run's transaction."""


def _layout(document: notes.Document, image_src) -> list[dict]:
    """The document's blocks in order; text the site does not model is kept verbatim
    (for the export) and rendered once, here (for the page)."""
    out = []
    for block in document.blocks:
        if isinstance(block, notes.Text):
            html = render_markdown(block.text, image_src=image_src) if block.text.strip() else ""
            out.append({"kind": "text", "text": block.text, "html": html})
        elif isinstance(block, notes.Title):
            out.append({"kind": "title", "text": block.text, "title": block.title})
        elif isinstance(block, notes.Curriculum):
            rows = [row.__dict__ for row in block.rows]
            out.append({"kind": "curriculum", "text": block.text, "rows": rows})
        elif isinstance(block, notes.Schedule):
            out.append({"kind": "schedule", "text": block.text, "days": [day.__dict__ for day in block.days]})
        else:
            out.append({"kind": "section", "title": block.title, "gap": block.gap})
    return out


def _had(cohort: Cohort, kind: str) -> bool:
    return any(entry.get("kind") == kind for entry in cohort.notes_layout or [])


class _Importer:
    def __init__(self, document, report, *, title, private, base_dir, dry_run, user):
        self.document = document
        self.report = report
        self.title = title
        self.private = private
        self.base_dir = Path(base_dir) if base_dir else None
        self.dry_run = dry_run
        self.user = user
        self.stored_files: list[str] = []
        self.chapters = {chapter.number: chapter for chapter in Chapter.objects.all()}
        self.titles = {number: chapter.title for number, chapter in self.chapters.items()}
        self.lab_chapters = {
            int(lab.code): lab.chapter.number
            for lab in Lab.objects.filter(kind=Lab.Kind.CHAPTER).select_related("chapter")
            if lab.code.isdigit()
        }

    def run(self):
        cohort = self.cohort()
        self.images(cohort)
        self.sections(cohort)
        self.progress(cohort)
        self.schedule(cohort)
        cohort.notes_layout = _layout(self.document, image_src_for(cohort.pk))
        cohort.save(update_fields=["notes_layout", "updated_at"])
        cohort.touch()
        questions = Question.objects.filter(section__cohort=cohort)
        self.report.pending = questions.filter(pending=True).count()
        self.report.chapter_links = questions.filter(chapter__isnull=False).count()
        self.report.sections = cohort.sections.count()

    def cohort(self) -> Cohort:
        cohort = Cohort.objects.select_for_update().filter(slug=self.report.slug).first()
        fields = {"title": self.title[:200], **cohort_fields(self.title)}
        if cohort is None:
            cohort = Cohort(slug=self.report.slug, is_public=not self.private, **fields)
            self.report.created = True
        else:
            for name, value in fields.items():
                setattr(cohort, name, value)
            if self.private is not None:
                cohort.is_public = not self.private
        cohort.save()
        self.report.cohort = cohort
        return cohort

    # --- images ---

    def images(self, cohort: Cohort):
        stored = {normalize_image_path(image.original_path): image for image in cohort.images.all()}
        root = self.base_dir.resolve() if self.base_dir else None
        seen = set()
        for src in image_paths("".join(self._all_text())):
            # ./img/x.png and img/x.png are one file, stored once.
            if normalize_image_path(src) in seen:
                continue
            seen.add(normalize_image_path(src))
            if root is None:
                self.report.images_missing.append(src)
                continue
            target = (root / normalize_image_path(unquote(src))).resolve()
            if not target.is_relative_to(root):
                self.report.images_rejected.append(f"{src} (outside the notes folder)")
                continue
            if not target.is_file():
                self.report.images_missing.append(src)
                continue
            if target.stat().st_size > max_image_bytes():
                self.report.images_rejected.append(f"{src} (over {max_image_bytes()} bytes)")
                continue
            data = target.read_bytes()
            try:
                validated = validate_image(data)
            except ImageRejected as exc:
                self.report.images_rejected.append(f"{src} ({' '.join(exc.messages)})")
                continue
            image = stored.get(normalize_image_path(src)) or NotesImage(cohort=cohort, original_path=src[:500])
            if image.pk and self._same_file(image, data):
                continue
            self.report.images_copied += 1
            if self.dry_run:
                continue
            image.content_type = validated.content_type
            image.file.save(random_file_name(validated.extension), ContentFile(data), save=False)
            self.stored_files.append(image.file.name)
            image.save()

    def _all_text(self):
        for block in self.document.blocks:
            if isinstance(block, notes.Section):
                yield block.heading + "\n" + block.gap
                for item in block.items:
                    yield item.source if isinstance(item, notes.Extra) else item.source_text
            else:
                yield block.text

    @staticmethod
    def _same_file(image: NotesImage, data: bytes) -> bool:
        try:
            with image.file.open("rb") as handle:
                return hashlib.sha256(handle.read()).digest() == hashlib.sha256(data).digest()
        except (OSError, ValueError):
            return False

    # --- sections and questions ---

    def sections(self, cohort: Cohort):
        existing = {section.title: section for section in cohort.sections.all()}
        old = list(Question.objects.filter(section__cohort=cohort).select_related("section__cohort", "chapter"))
        matches = self.match(old)
        matched_ids = {question.pk for question in matches.values()}
        site_left = defaultdict(list)
        for question in old:
            if question.pk in matched_ids:
                continue
            if question.origin == Question.Origin.SITE:
                site_left[question.section.title].append(question)
            else:
                question.delete()
                self.report.removed += 1
        self.report.site_kept = sum(len(left) for left in site_left.values())

        for position, parsed in enumerate(self.document.sections, start=1):
            section = existing.pop(parsed.title, None) or Section(cohort=cohort, title=parsed.title)
            if section.pk is None or (section.heading, section.position) != (parsed.heading, position):
                section.heading, section.position = parsed.heading[:300], position
                section.save()
            section.cohort = cohort
            section.extras.all().delete()
            self.fill(section, parsed, matches, site_left.pop(parsed.title, []))
        position = len(self.document.sections)
        for title, section in sorted(existing.items(), key=lambda item: item[1].position):
            if site_left.get(title):
                position += 1
                Section.objects.filter(pk=section.pk).update(position=position)
            else:
                section.delete()

    def match(self, old: list[Question]) -> dict[int, Question]:
        """Parsed question (by id()) → the stored question it continues."""
        parsed = [(section.title, q) for section in self.document.sections for q in section.questions]
        free = {question.pk: question for question in old}
        by_place, by_text = defaultdict(list), defaultdict(list)
        for question in old:
            by_place[(question.section.title, question.question)].append(question)
            by_text[question.question].append(question)
        matches: dict[int, Question] = {}

        def claim(parsed_question, candidates):
            for candidate in candidates:
                if id(parsed_question) not in matches and free.pop(candidate.pk, None):
                    matches[id(parsed_question)] = candidate
                    return

        # Same text in the same section, then anywhere (moved), then touched-up text in the same section.
        for title, q in parsed:
            claim(q, by_place[(title, q.question)])
        for _, q in parsed:
            claim(q, by_text[q.question])
        candidates = []
        for title, q in parsed:
            if id(q) in matches:
                continue
            for stored in free.values():
                if stored.section.title != title or stored.origin != Question.Origin.NOTES:
                    continue
                matcher = difflib.SequenceMatcher(None, q.question, stored.question)
                if matcher.real_quick_ratio() >= SAME_QUESTION_RATIO and matcher.ratio() >= SAME_QUESTION_RATIO:
                    candidates.append((matcher.ratio(), q, stored))
        for _, q, stored in sorted(candidates, key=lambda c: -c[0]):
            if stored.pk in free:
                claim(q, [stored])
        return matches

    def fill(self, section: Section, parsed: notes.Section, matches, site_questions: list[Question]):
        items = list(parsed.items)
        last_question = max((i for i, item in enumerate(items) if isinstance(item, notes.Question)), default=-1)
        # Questions added on the site stay at the end of their section, before what trails it.
        items[last_question + 1:last_question + 1] = sorted(site_questions, key=lambda q: q.position)
        for position, item in enumerate(items, start=1):
            if isinstance(item, notes.Extra):
                SectionExtra(section=section, kind=item.kind, position=position, source=item.source).save()
            elif isinstance(item, Question):
                if item.position != position:
                    item.position = position
                    item.save()
            else:
                self.apply(section, position, item, matches.get(id(item)))

    def apply(self, section: Section, position: int, parsed: notes.Question, stored: Question | None):
        digest = content_digest(parsed.question, parsed.answer)
        chapter_number = find_chapter(
            parsed.question, parsed.answer, lab_chapters=self.lab_chapters, titles=self.titles
        )
        chapter = self.chapters.get(chapter_number) if chapter_number else None
        if stored is None:
            Question(
                section=section, position=position, question=parsed.question, answer=parsed.answer,
                chapter=chapter, origin=Question.Origin.NOTES, source_text=parsed.source_text, source_digest=digest,
            ).save()
            self.report.added += 1
            return
        before = (stored.section_id, stored.position, stored.question, stored.answer, stored.chapter_id,
                  stored.origin, stored.source_text, stored.source_digest)
        site_edited = stored.origin == Question.Origin.NOTES and not stored.is_unchanged_since_import
        if site_edited and digest == stored.source_digest:
            # The file still says what was imported; the site's newer edit stands.
            self.report.site_edits_kept += 1
        else:
            stored.question, stored.answer = parsed.question, parsed.answer
            stored.chapter = chapter
        stored.section, stored.position, stored.origin = section, position, Question.Origin.NOTES
        stored.source_text, stored.source_digest = parsed.source_text, digest
        after = (stored.section_id, stored.position, stored.question, stored.answer, stored.chapter_id,
                 stored.origin, stored.source_text, stored.source_digest)
        if before == after:
            self.report.unchanged += 1
            return
        stored.save()
        if before[2:4] != after[2:4]:
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    # --- progress and schedule ---

    def progress(self, cohort: Cohort):
        curriculum = self.document.curriculum
        existing = {p.chapter_id: p for p in cohort.progress.all()}
        if curriculum is None:
            if _had(cohort, "curriculum"):
                cohort.progress.all().delete()
            return
        now = timezone.now()
        for row in curriculum.rows:
            chapter = self.chapters.get(row.number)
            if chapter is None:
                continue
            progress = existing.pop(chapter.pk, None) or Progress(cohort=cohort, chapter=chapter)
            changed = progress.pk is None
            for part, done in (("theory", row.theory_done), ("lab", row.lab_done)):
                if progress.mark(part, done, self.user, now):
                    changed = True
                    self.report.progress_changed += 1
            if changed:
                progress.save()
        for progress in existing.values():
            progress.delete()

    def schedule(self, cohort: Cohort):
        schedule = self.document.schedule
        if schedule is None:
            if _had(cohort, "schedule"):
                cohort.schedule_days.all().delete()
            return
        default = {day.day: day for day in ScheduleDay.objects.default()}
        existing = {day.day: day for day in cohort.schedule_days.all()}
        lower = 1
        for entry in schedule.days:
            span = None
            for text in (entry.theory, entry.lab):
                span = span or chapter_range(text, lab_chapters=self.lab_chapters, titles=self.titles, lower=lower)
            if span is None and entry.day in default:
                span = (default[entry.day].first_chapter.number, default[entry.day].last_chapter.number)
            if span is None:
                first = min(max(lower, min(self.chapters)), max(self.chapters))
                span = (first, first)
            day = existing.pop(entry.day, None) or ScheduleDay(cohort=cohort, day=entry.day)
            day.theory, day.lab = entry.theory[:200], entry.lab[:200]
            day.first_chapter, day.last_chapter = self.chapters[span[0]], self.chapters[span[1]]
            day.save()
            lower = span[1] + 1
        for day in existing.values():
            day.delete()
        self.report.schedule_days = len(schedule.days)


def import_notes_text(
    text: str,
    *,
    slug: str | None = None,
    private: bool | None = None,
    base_dir: Path | None = None,
    dry_run: bool = False,
    user=None,
) -> ImportReport:
    """Create or sync the cohort a notes text describes, in one transaction.

    ``private=None`` keeps an existing cohort's visibility (new cohorts are
    public). Images are looked up relative to ``base_dir``. Raises NotesError
    (nothing written) when the text holds no notes.
    """
    check_notes_text(text, max_bytes=settings.NOTES_MAX_BYTES)
    document = parse_notes(text)
    if document.is_empty:
        raise NotesContentError("no title, curriculum table, schedule or topic section (## Docker …) found")
    title = document.title or slug
    if not title:
        raise NotesContentError("no title line ('# …'); name the cohort with --cohort SLUG")
    slug = slug or slugify(title, allow_unicode=True)[:100]
    if not slug or not _SLUG.match(slug):
        raise NotesError(f"cannot use {slug!r} as a cohort slug; give one with --cohort (letters, digits, -, _)")
    report = ImportReport(slug=slug, dry_run=dry_run)
    importer = _Importer(
        document, report, title=title, private=private, base_dir=base_dir, dry_run=dry_run, user=user
    )
    try:
        with transaction.atomic():
            importer.run()
            if dry_run:
                raise _DryRun
    except _DryRun:
        report.cohort = None
    except BaseException:
        for name in importer.stored_files:
            default_storage.delete(name)
        raise
    return report


def import_notes_file(path, **options) -> ImportReport:
    """Read and check a notes file (NotesError with a one-line reason if it is not one), then import it.

    Images are looked up beside the file unless ``base_dir`` says otherwise.
    """
    path = Path(path)
    text = read_notes_file(path, max_bytes=settings.NOTES_MAX_BYTES)
    options.setdefault("base_dir", path.parent)
    return import_notes_text(text, **options)
