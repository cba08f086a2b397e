"""Chapter inference on a hand-labelled fixture of seed questions (accuracy printed)."""

import tomllib
from pathlib import Path

import pytest

from notes.importer import import_notes_file
from qa.models import Question
from search.chapters import infer_chapter, section_chapters
from search.glossary import current_glossary
from tests.notes.notes_support import SEED_FILES

pytestmark = pytest.mark.django_db
LABELS = tomllib.loads((Path(__file__).parent.parent / "fixtures" / "chapter_labels.toml").read_text())["labels"]


def test_the_section_narrows_the_chapters():
    assert section_chapters("Docker") == range(1, 7)
    assert section_chapters("Kubernetes") == section_chapters("K8s") == range(7, 16)
    assert section_chapters("Helm") == range(15, 16)
    assert section_chapters("설문 결과") is None


def test_a_question_with_no_course_term_gets_no_chapter():
    assert infer_chapter("오늘 점심은 몇 시인가요?", glossary=current_glossary()) is None


def test_neighbours_decide_between_equal_terms():
    glossary = current_glossary()
    assert infer_chapter("볼륨은 어디에 저장되나요?", glossary=glossary, neighbours=(11,)) == 11
    assert infer_chapter("볼륨은 어디에 저장되나요?", glossary=glossary, neighbours=(3,)) == 3


def test_inference_agrees_with_the_hand_labels_of_the_seed_questions():
    assert SEED_FILES, "the seed notes are beside the checkout (../shared/seeds)"
    for path in SEED_FILES:
        import_notes_file(path, slug=f"seed-{path.stem[:3]}")
    glossary = current_glossary()
    right, wrong = 0, []
    for start, chapter in LABELS.items():
        question = Question.objects.select_related("section").get(question__startswith=start)
        inferred = infer_chapter(question.question, question.answer, glossary=glossary,
                                 section_title=question.section.title)
        if inferred == chapter:
            right += 1
        else:
            wrong.append((start, chapter, inferred))
    accuracy = right / len(LABELS)
    print(f"\nchapter inference: {right}/{len(LABELS)} = {accuracy:.0%} of the hand labels; wrong: {wrong}")
    assert accuracy >= 0.6
