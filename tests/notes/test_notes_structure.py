"""Answer lines are never read as questions (issue 11.4): a question is the author's top-level
bullet, in column 0 or 1, whatever CommonMark makes of a column-0 fence or "-  text"."""

import subprocess
import sys

import pytest
from django.conf import settings

from notes.importer import import_notes_file
from notes.parser import parse_notes
from notes.parser.structure import check_structure
from qa.models import Question
from tests.notes.notes_support import DEMO_FILE, FIXTURES, NOTES_FILES, SYNC_VERSIONS, media_root, read  # noqa: F401

SHAPES = [FIXTURES / "answer_shapes.md", FIXTURES / "answer_shapes_star_crlf.md"]
QUESTIONS = [
    ("Docker", "컨테이너 로그를 파일로 남기려면?", False),
    ("Docker", "이미지 크기를 줄이는 방법은?", False),
    ("Docker", "볼륨 목록은 어떻게 보나요?", False),
    ("Docker", "두 칸 질문 뒤에 코드가 오면?", False),
    ("Docker", "답이 아직 없는 질문은?", True),
    ("Kubernetes", "코드 블록으로 끝나는 답은?", False),
    ("Kubernetes", "마지막 질문", False),
]
# Lines CommonMark puts outside the question's list item, and the question they belong to.
ANSWER_LINES = {
    "컨테이너 로그를 파일로 남기려면?": ["기본값은 json-file 입니다."],
    "이미지 크기를 줄이는 방법은?": ["멀티 스테이지 빌드를 씁니다.", "불필요한 파일은 .dockerignore 로 뺍니다.",
                            "캐시 디렉터리도 지웁니다."],
    "두 칸 질문 뒤에 코드가 오면?": ["먼저 이렇게 봅니다.", "docker ps -a", "그다음 로그를 봅니다."],
    "코드 블록으로 끝나는 답은?": ["kind: Pod", "빈 줄 뒤에 이어지는 답.", "두 단계 더 깊은 답."],
}


@pytest.mark.parametrize("path", SHAPES, ids=lambda p: p.name)
def test_answer_bullets_after_a_column_0_fence_or_under_two_space_bullets_stay_answers(path):
    document = parse_notes(read(path))
    parsed = [(s.title, q.question) for s in document.sections for q in s.questions]
    assert parsed == [(section, text) for section, text, _ in QUESTIONS]
    answers = {q.question: q.answer for q in document.questions}
    for question, lines in ANSWER_LINES.items():
        assert all(line in answers[question] for line in lines), answers[question]


def test_an_answer_after_the_items_end_keeps_code_columns_and_loses_only_the_common_indent():
    text = ("## Docker\n\n-  질문?\n  -  답\n    - 더 깊은 답\n\n"
            "- 다음 질문?\n  - 답\n```\n  들여쓴 코드\n```\n  - 코드 뒤 답\n")
    first, second = parse_notes(text).questions
    assert first.answer == "-  답\n  - 더 깊은 답"
    assert second.answer == "- 답\n```\n  들여쓴 코드\n```\n  - 코드 뒤 답"


@pytest.mark.parametrize("path", [*NOTES_FILES, *SYNC_VERSIONS, DEMO_FILE], ids=lambda p: p.name)
def test_structure_check_finds_no_indented_line_read_as_a_question(path):
    report = check_structure(read(path))
    assert report.questions > 0 and report.indented == []


def test_the_structure_script_reports_zero_for_the_fixtures_seeds_and_demo():
    folders = [str(FIXTURES), str(DEMO_FILE)]
    seeds = settings.BASE_DIR.parent / "shared" / "seeds"
    if seeds.is_dir():
        folders.append(str(seeds))
    done = subprocess.run([sys.executable, "scripts/notes_structure.py", *folders], capture_output=True, text=True,
                          cwd=settings.BASE_DIR, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "answer_shapes_star_crlf.md: 7 questions, 0 indented lines read as questions" in done.stdout
    assert done.stdout.rstrip().endswith(" 0 indented lines read as questions")


@pytest.mark.django_db
@pytest.mark.usefixtures("media_root")
@pytest.mark.parametrize("path", SHAPES, ids=lambda p: p.name)
def test_imported_shapes_are_questions_with_their_answers_on_the_cohort_page(path, client):
    cohort = import_notes_file(path).cohort
    rows = Question.objects.filter(section__cohort=cohort).order_by("section__position", "position")
    assert [(q.section.title, q.question, q.pending) for q in rows] == QUESTIONS
    page = client.get(f"/cohorts/{cohort.slug}/").content.decode()
    for question, lines in ANSWER_LINES.items():
        row = rows.get(question=question)
        item = page.split(f'id="q-{row.pk}"', 1)[1].split('<li id="q-', 1)[0]
        assert all(line in item for line in lines if not line.isascii()), question  # code is highlighted
