"""A cohort → its notes markdown, in the style of the file it was imported from.

What is unchanged since the import is written from the stored lines, so the
export renders exactly like the original; edits made on the site (an answer
filled, a question added, a chapter struck through) are written the way the
notes write them. A cohort created on the site gets a file in the same style.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from django.conf import settings
from django.core.files.storage import default_storage

from curriculum.models import Chapter, ScheduleDay
from notes import layout as notes_layout
from notes.parser import document as notes
from notes.parser.writer import curriculum_markdown, schedule_markdown, write_notes
from qa.images import normalize_image_path

# Where images uploaded with the markdown editor are written in an exported notes file.
EXPORT_IMAGE_FOLDER = "img/"


def _uploaded_image_url() -> re.Pattern:
    prefix = settings.MEDIA_URL + settings.MARKDOWNX_MEDIA_PATH
    return re.compile(r"(?<=[(<\s\"'])" + re.escape(prefix) + r"([^)\s\"'<>]+)")


def uploaded_image_names(text: str) -> set[str]:
    """Storage names of the editor uploads ``text`` links to."""
    return {settings.MARKDOWNX_MEDIA_PATH + match.group(1) for match in _uploaded_image_url().finditer(text)}


def _relative_images(text: str, uploads: dict[str, str]) -> str:
    """Uploaded image URLs → ``img/<name>`` beside the notes (GitHub shows those); ``uploads``
    collects export path → storage name."""

    def relative(match: re.Match) -> str:
        stored = settings.MARKDOWNX_MEDIA_PATH + match.group(1)
        path = EXPORT_IMAGE_FOLDER + posixpath.basename(match.group(1))
        uploads[path] = stored
        return path

    return _uploaded_image_url().sub(relative, text)


def _question(question, uploads: dict[str, str]) -> notes.Question:
    if question.is_unchanged_since_import:
        return notes.Question(question.question, question.answer, question.source_text)
    return notes.Question(_relative_images(question.question, uploads), _relative_images(question.answer, uploads))


def _section_block(section, *, gap: str, fresh: bool, uploads: dict[str, str]) -> notes.Section:
    items = [(extra.position, 0, notes.Extra(extra.kind, extra.source)) for extra in section.extras.all()]
    items += [(q.position, 1, _question(q, uploads)) for q in section.questions.all()]
    return notes.Section(
        title=section.title, heading=section.heading_line, gap=gap,
        items=[item for _, _, item in sorted(items, key=lambda entry: entry[:2])], fresh=fresh,
    )


def _generated_curriculum(done: dict[int, tuple[bool, bool]]) -> str:
    rows = ["| No. | 이론 | 실습 |", "| --- | --- | --- |"]
    for chapter in Chapter.objects.select_related("lab"):
        theory, lab_done = done.get(chapter.number, (False, False))
        lab = chapter.lab_or_none
        theory_cell = f"~{chapter.theory_label}~" if theory else chapter.theory_label
        lab_cell = "-" if lab is None else (f"~{lab.label}~" if lab_done else lab.label)
        rows.append(f"| {chapter.number} | {theory_cell} | {lab_cell} |")
    return "\n".join(rows) + "\n\n"


def export_cohort(cohort) -> str:
    """The cohort's notes as markdown (LF line ends)."""
    return export_cohort_with_images(cohort)[0]


def export_cohort_with_images(cohort) -> tuple[str, dict[str, str]]:
    """The notes, and the images they show as (path relative to the notes → storage name):
    images imported with the notes under their original path, uploads under ``img/<name>``."""
    uploads: dict[str, str] = {}
    layout = cohort.notes_layout or []
    sections = {
        section.title: section
        for section in cohort.sections.prefetch_related("questions", "extras").order_by("position", "id")
    }
    done = {p.chapter.number: (p.theory_done, p.lab_done) for p in cohort.progress.select_related("chapter")}
    own_days = list(ScheduleDay.objects.filter(cohort=cohort).order_by("day"))

    blocks: list = []
    if not notes_layout.has(layout, notes_layout.TITLE):
        blocks.append(notes.Text(f"# {cohort.title}\n\n"))
        if done and not notes_layout.has(layout, notes_layout.CURRICULUM):
            blocks.append(notes.Text(_generated_curriculum(done)))
    for block in notes_layout.stored_blocks(layout):
        if isinstance(block, notes.Title):
            blocks.append(notes.Text(block.text if cohort.title == block.title else f"# {cohort.title}\n"))
        elif isinstance(block, notes.Curriculum):
            blocks.append(notes.Text(curriculum_markdown(block, done)))
        elif isinstance(block, notes.Schedule):
            days = [notes.ScheduleEntry(d.day, d.theory, d.lab) for d in own_days]
            blocks.append(notes.Text(block.text if days == block.days else schedule_markdown(days)))
        elif isinstance(block, notes_layout.StoredSection):
            if block.title in sections:
                blocks.append(_section_block(sections.pop(block.title), gap=block.gap, fresh=False, uploads=uploads))
        else:
            blocks.append(block)  # verbatim text
    # Sections the notes never had (created on the site) come last.
    blocks += [_section_block(section, gap="\n", fresh=True, uploads=uploads) for section in sections.values()]
    images = {normalize_image_path(image.original_path): image.file.name for image in cohort.images.all()}
    return write_notes(notes.Document(blocks)), {**images, **uploads}


def notes_zip(cohort) -> bytes:
    """``<slug>.md`` with its images beside it, as a zip: the notes render with their images on GitHub."""
    text, images = export_cohort_with_images(cohort)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{cohort.slug}.md", text)
        for path, stored in sorted(images.items()):
            if ".." in path.split("/") or path.startswith("/"):
                continue  # a path written in the notes that would land outside the folder
            try:
                with default_storage.open(stored, "rb") as source:
                    archive.writestr(path, source.read())
            except (FileNotFoundError, OSError):
                continue  # a row whose file is gone (see prune_images): the notes still export
    return buffer.getvalue()
