"""Write an import plan, inside the caller's transaction: nothing is parsed or rendered here.

The cohort's version is checked first (a compare-and-set): if the site changed
the cohort since the snapshot the plan was made from, ``StaleSnapshot`` is
raised and the caller plans again. Image files are written to storage only
once the import's transaction has committed (``store_files``), so an import
killed midway leaves no file without its row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from courses.changes import announce, claim
from courses.models import Cohort
from curriculum.models import Chapter, Progress, ScheduleDay
from mspt3.uploads import random_file_name
from notes import layout as notes_layout
from notes.import_plan import PARTS, PENDING_IMAGE, Plan, Snapshot
from notes.import_report import ImportReport
from qa.models import NotesImage, Question, Section, SectionExtra, is_pending_answer
from search.index import prepare, stored_digests, write_documents

QUESTION_FIELDS = [
    "section", "position", "question", "question_html", "answer", "answer_html", "pending", "chapter", "chapter_source",
    "origin",
    "source_text", "source_digest", "import_base", "revision", "updated_at",
]


def analysed_for_index(plan: Plan, snapshot: Snapshot) -> dict:
    """The search documents of the plan's question texts that the index lacks, analysed now
    (outside the import's transaction: on SQLite its write lock stops every other writer)."""
    stored = Question.objects.filter(section__cohort=snapshot.cohort) if snapshot.cohort else Question.objects.none()
    return prepare(((write.question, write.answer) for write in plan.questions), known=stored_digests(stored))


class StaleSnapshot(Exception):
    """The cohort changed on the site after the plan was made."""


def _cohort(plan: Plan, snapshot: Snapshot, report: ImportReport) -> Cohort:
    if snapshot.cohort is None:
        cohort = Cohort(slug=snapshot.slug, is_public=plan.is_public is not False, **plan.cohort_fields)
        try:
            with transaction.atomic():
                cohort.save()
        except IntegrityError:  # created by someone else meanwhile
            raise StaleSnapshot from None
        report.created = True
        return cohort
    if not claim(snapshot.cohort, snapshot.version):
        raise StaleSnapshot
    cohort = Cohort.objects.get(pk=snapshot.cohort.pk)
    for name, value in plan.cohort_fields.items():
        setattr(cohort, name, value)
    if plan.is_public is not None:
        cohort.is_public = plan.is_public
    cohort.save(update_fields=[*plan.cohort_fields, "is_public", "updated_at"])
    return cohort


@dataclass
class ImageToStore:
    row: NotesImage
    data: bytes
    replaces: str | None  # the file name the row had before


def _images(plan: Plan, cohort: Cohort, files: list[ImageToStore]) -> dict[str, str]:
    """Rows for new or changed images (their files are stored after commit). Placeholder → URL."""
    urls = {}
    folder = timezone.now().strftime("notes/%Y/")
    for n, image in enumerate(plan.images):
        row = image.stored or NotesImage(cohort=cohort, original_path=image.path)
        old_name = row.file.name if row.pk else None
        row.file.name = folder + random_file_name(image.extension)
        row.content_type = image.content_type
        row.save()
        files.append(ImageToStore(row, image.data, old_name))
        urls[f"{PENDING_IMAGE}{n}/"] = row.get_absolute_url()
    return urls


def store_files(files: list[ImageToStore]):
    """After the import committed: the image files its rows name (a replaced file is removed)."""
    for image in files:
        stored = default_storage.save(image.row.file.name, ContentFile(image.data))
        if stored != image.row.file.name:
            NotesImage.objects.filter(pk=image.row.pk).update(file=stored)
        if image.replaces and image.replaces != stored:
            default_storage.delete(image.replaces)


def _resolve(html: str, urls: dict[str, str]) -> str:
    if PENDING_IMAGE in html:
        for placeholder, url in urls.items():
            html = html.replace(placeholder, url)
    return html


def _sections(plan: Plan, snapshot: Snapshot, cohort: Cohort) -> tuple[dict[str, Section], list[int]]:
    """The plan's sections, created or updated, and the ids of those it no longer has."""
    existing = dict(snapshot.sections)
    sections, changed = {}, []
    for title, heading, position in plan.sections:
        section = existing.pop(title, None)
        if section is None:
            section = Section(cohort=cohort, title=title, heading=heading, position=position)
        elif (section.heading, section.position) != (heading, position):
            section.heading, section.position = heading, position
            changed.append(section)
        sections[title] = section
    Section.objects.bulk_update(changed, ["heading", "position"])
    Section.objects.bulk_create([s for s in sections.values() if s.pk is None])
    return sections, [section.pk for section in existing.values()]


def _questions(plan: Plan, sections: dict[str, Section], urls: dict[str, str]):
    now = timezone.now()
    creates, updates = [], []
    for write in plan.questions:
        stored = write.stored
        row = stored or Question(revision=1)
        before = None if stored is None else tuple(getattr(stored, name) for name in QUESTION_FIELDS[:-2])
        row.section = sections[write.section]
        row.position, row.question, row.answer, row.chapter = write.position, write.question, write.answer, \
            write.chapter
        row.chapter_source = write.chapter_source
        row.question_html, row.answer_html = _resolve(write.question_html, urls), _resolve(write.answer_html, urls)
        row.pending = is_pending_answer(write.answer)
        row.origin, row.source_text, row.source_digest = write.origin, write.source_text, write.source_digest
        row.import_base = write.base
        if stored is None:
            creates.append(row)
        elif tuple(getattr(row, name) for name in QUESTION_FIELDS[:-2]) != before:
            row.updated_at = now
            row.revision += 1
            updates.append(row)
    _update_rows(Question, updates, QUESTION_FIELDS)
    Question.objects.bulk_create(creates, batch_size=500)


def _update_rows(model, rows, fields):
    """One prepared UPDATE run for every row (executemany). bulk_update builds CASE
    expressions whose cost grows with rows × fields; this is one driver round per row."""
    if not rows:
        return
    ops = connection.ops
    columns = [model._meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{ops.quote_name(column.column)} = %s" for column in columns)
    sql = f"UPDATE {ops.quote_name(model._meta.db_table)} SET {assignments} WHERE {ops.quote_name('id')} = %s"
    params = [[column.get_db_prep_save(getattr(row, column.attname), connection) for column in columns] + [row.pk]
              for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _progress(plan: Plan, snapshot: Snapshot, cohort: Cohort, user):
    chapters = {chapter.number: chapter for chapter in Chapter.objects.filter(number__in=plan.progress)}
    now = timezone.now()
    for number, state in plan.progress.items():
        progress = snapshot.progress.get(number) or Progress(cohort=cohort, chapter=chapters[number])
        changed = progress.pk is None
        for part in PARTS:
            changed |= progress.mark(part, state[part], user, now)
        if changed:
            progress.cohort = cohort
            progress.save()
    Progress.objects.filter(pk__in=plan.progress_deletes).delete()


def _schedule(plan: Plan, snapshot: Snapshot, cohort: Cohort):
    numbers = {n for _, _, first, last in plan.days.values() for n in (first, last)}
    chapters = {chapter.number: chapter for chapter in Chapter.objects.filter(number__in=numbers)}
    for number, (theory, lab, first, last) in plan.days.items():
        day = snapshot.days.get(number) or ScheduleDay(cohort=cohort, day=number)
        if day.pk and (day.theory, day.lab, day.first_chapter.number, day.last_chapter.number) == (
                theory, lab, first, last):
            continue
        day.theory, day.lab, day.first_chapter, day.last_chapter = theory, lab, chapters[first], chapters[last]
        day.save()
    ScheduleDay.objects.filter(pk__in=plan.day_deletes).delete()


def write_plan(plan: Plan, snapshot: Snapshot, report: ImportReport, *, user=None) -> list[ImageToStore]:
    """Write the plan; returns the image files to store once the transaction has committed."""
    cohort = _cohort(plan, snapshot, report)
    report.cohort = cohort
    files: list[ImageToStore] = []
    urls = _images(plan, cohort, files)
    sections, dropped = _sections(plan, snapshot, cohort)
    SectionExtra.objects.filter(section__cohort=cohort).delete()
    SectionExtra.objects.bulk_create([
        SectionExtra(section=sections[title], kind=kind, position=position, source=source,
                     html=_resolve(html, urls))
        for title, kind, position, source, html in plan.extras
    ])
    _questions(plan, sections, urls)  # before the dropped sections go: their kept questions moved
    Question.objects.filter(pk__in=plan.deletes).delete()
    Section.objects.filter(pk__in=dropped).delete()
    _progress(plan, snapshot, cohort, user)
    _schedule(plan, snapshot, cohort)
    notes_layout.rewrite_html(plan.layout, lambda html: _resolve(html, urls))
    Cohort.objects.filter(pk=cohort.pk).update(notes_layout=plan.layout, updated_at=timezone.now())
    cohort.notes_layout = plan.layout
    announce(cohort)  # already claimed in this transaction: a no-op unless the cohort is new
    questions = Question.objects.filter(section__cohort=cohort)
    # Stored from what was analysed before the transaction; only changed texts are written.
    write_documents(list(questions.values_list("pk", "question", "answer")), plan.analysed)
    report.pending = questions.filter(pending=True).count()
    report.chapter_links = questions.filter(chapter__isnull=False).count()
    report.sections = len(sections)
    return files
