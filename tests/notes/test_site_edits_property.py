"""Any sequence of site edits → export → import into an empty site → export gives the same
notes byte for byte, the same questions and the same pending flags (issue 11.3)."""

import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from courses.models import Cohort
from mspt3.uploads import store_image, validate_image
from notes.exporter import export_cohort, export_cohort_with_images
from notes.importer import import_notes_file
from qa.models import Question
from tests.factories import make_cohort, make_section
from tests.security.images import image_bytes

WORDS = ["컨테이너", "이미지", "볼륨", "Pod", "`kubectl get po`", "**중요**", "CH03", "?", "레이어"]
SECTIONS = ["Docker", "Kubernetes", "Helm 심화"]
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
# What an instructor types as a question: one line, two paragraphs (Shift+Enter twice), a "- " line.
question_text = st.one_of(
    sentence,
    st.tuples(sentence, sentence).map("\n\n".join),
    st.tuples(sentence, sentence).map(lambda t: f"{t[0]}\n- {t[1]}"),
    st.tuples(sentence, sentence).map(lambda t: f"{t[0]}\n1. {t[1]}"),
)
answer_text = st.one_of(
    st.just(""), st.just("..."), sentence.map(lambda s: f"- {s}"), st.tuples(sentence, sentence).map("\n\n".join),
    sentence.map(lambda s: f"```bash\n# {s}\ndocker ps\n```"), st.just("IMAGE"),
)
edits = st.lists(st.one_of(
    st.tuples(st.just("create"), st.sampled_from(SECTIONS), question_text, answer_text),
    st.tuples(st.just("answer"), st.integers(0, 50), answer_text),
    st.tuples(st.just("move"), st.integers(0, 50), st.sampled_from(SECTIONS)),
    st.tuples(st.just("edit"), st.integers(0, 50), question_text),
), min_size=1, max_size=10)


def uploaded_image_markdown() -> str:
    name = store_image(validate_image(image_bytes("PNG")), django_settings.MARKDOWNX_MEDIA_PATH)
    return f"그림입니다.\n\n![보드]({default_storage.url(name)})"


def apply(cohort, edit):
    questions = list(Question.objects.filter(section__cohort=cohort).order_by("pk"))

    def answer(value):
        return uploaded_image_markdown() if value == "IMAGE" else value

    kind = edit[0]
    if kind == "create":
        section = cohort.sections.filter(title=edit[1]).first() or make_section(cohort, edit[1])
        Question.objects.create(section=section, question=edit[2], answer=answer(edit[3]))
    elif questions:
        question = questions[edit[1] % len(questions)]
        if kind == "answer":
            question.answer = answer(edit[2])
        elif kind == "move":
            question.section = cohort.sections.filter(title=edit[2]).first() or make_section(cohort, edit[2])
        else:
            question.question = edit[2]
        question.save()


def state(cohort):
    """In the notes' order: a question moved by editing its section keeps its position, so two can share
    one, and the id decides (as in the export); without it PostgreSQL may return ties in any order."""
    questions = Question.objects.filter(section__cohort=cohort).order_by("section__position", "position", "id")
    return [(q.section.title, q.question, q.pending) for q in questions]


def write_out(cohort, folder: Path) -> Path:
    text, images = export_cohort_with_images(cohort)
    notes = folder / f"{cohort.slug}.md"
    notes.write_text(text, encoding="utf-8")
    for path, stored in images.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(stored, "rb") as source:
            (folder / path).write_bytes(source.read())
    return notes


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=edits)
@example(sequence=[("create", "Docker", "첫 질문", ""), ("create", "Kubernetes", "둘째 질문", "- 답"),
                   ("move", 1, "Docker")])  # two questions at position 1 of one section
def test_site_edits_export_import_export_is_the_identity(sequence, settings):
    media = Path(tempfile.mkdtemp(prefix="mspt3-imp-media-"))
    folder = Path(tempfile.mkdtemp(prefix="mspt3-imp-notes-"))
    settings.MEDIA_ROOT = media
    try:
        cohort = make_cohort("MSP T3 - 90-1차")
        for edit in sequence:
            apply(cohort, edit)
        before = state(cohort)
        notes = write_out(cohort, folder)
        first = notes.read_text(encoding="utf-8")
        Cohort.objects.all().delete()  # an empty site

        imported = import_notes_file(notes, slug=cohort.slug)
        assert imported.images_missing == [] and imported.images_rejected == []
        assert export_cohort(imported.cohort) == first
        assert state(imported.cohort) == before
    finally:
        Cohort.objects.all().delete()
        shutil.rmtree(media, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
