"""The notes parser and writer on their own (no database)."""

import pytest

from notes.parser import find_chapter, find_references, parse_notes, write_notes
from notes.parser.chapters import chapter_range, prose
from notes.parser.document import Curriculum, Extra, Schedule, Section, Text, Title
from notes.parser.parser import cohort_fields, image_paths, split_lines
from notes.parser.writer import curriculum_markdown, question_markdown
from tests.notes.notes_support import DEMO_FILE, FIXTURES, NOTES_FILES, read, rendered

TITLES = {
    1: "Docker Overview", 2: "Docker Commands", 3: "Docker Storage", 4: "Docker Network", 5: "Dockerfile",
    6: "Dockerfile Best Practice", 7: "Kubernetes Overview", 8: "Kubernetes Workload (1)",
    9: "Kubernetes Workload (2)", 10: "Kubernetes Service", 11: "Kubernetes Storage",
    12: "Kubernetes Configuration", 13: "Kubernetes Deployment Strategies",
    14: "Kubernetes Horizontal Pod Autoscaler", 15: "Helm",
}
LABS = {2: 2, 3: 3, 4: 4, 5: 6, 7: 7, 8: 8, 9: 9, 10: 10, 11: 11, 12: 12, 13: 13, 14: 14, 15: 15}


def kinds(section):
    return [item.kind if isinstance(item, Extra) else "q" for item in section.items]


@pytest.mark.parametrize("path", [*NOTES_FILES, DEMO_FILE], ids=lambda p: p.name)
def test_writing_a_parsed_file_gives_back_its_exact_text(path):
    text = read(path)
    assert write_notes(parse_notes(text)) == text.replace("\r\n", "\n")


@pytest.mark.parametrize("path", [*NOTES_FILES, DEMO_FILE], ids=lambda p: p.name)
def test_every_line_lands_in_exactly_one_block(path):
    document = parse_notes(read(path))
    pieces = []
    for block in document.blocks:
        if isinstance(block, Section):
            pieces.append(block.heading + "\n" + block.gap)
            pieces += [i.source if isinstance(i, Extra) else i.source_text for i in block.items]
        else:
            pieces.append(block.text)
    assert "".join(pieces) == read(path).replace("\r\n", "\n")


def test_variants_fixture_is_modelled_block_by_block():
    document = parse_notes(read(FIXTURES / "variants.md"))
    assert [type(b) for b in document.blocks] == [Text, Title, Text, Curriculum, Text, Schedule, Text, Section,
                                                 Section, Text]
    assert document.title == "MSP T3 - 99-1차 (SCP Track)"
    docker, kubernetes = document.sections
    assert kinds(docker) == ["q"] * 6 + ["summary", "text"]
    assert docker.items[-2].source.startswith("### Docker Summary\n![](img/port_result.png)")
    assert docker.items[-1].source == "---\n\n"
    assert kinds(kubernetes) == ["q", "text"]
    assert kubernetes.items[-1].source == "***\n\n"
    # The playlist and the survey summary are not sections: kept as text, in place.
    assert document.blocks[-1].text.startswith("## 플레이리스트")
    assert "## 설문 결과 요약" in document.blocks[-1].text


def test_one_space_indented_bullet_is_a_question_with_dedented_answer():
    docker = parse_notes(read(FIXTURES / "variants.md")).sections[0]
    question = docker.questions[1]
    assert question.question == "들여쓰기가 한 칸 있는 질문도 질문으로 읽히나요?"
    assert question.answer == "- 네, 목록 항목은 세 칸까지 들여써도 같은 목록입니다."


def test_code_fence_lines_that_look_like_headings_or_bullets_stay_in_the_answer():
    docker = parse_notes(read(FIXTURES / "variants.md")).sections[0]
    answer = docker.questions[2].answer
    assert "# 이 줄은 제목이 아니라 주석입니다" in answer
    assert "- 이 줄도 목록이 아닙니다" in answer
    assert "~~~yaml\n# tilde fence\n- name: not-a-question" in answer
    assert len(docker.questions) == 6


def test_star_bullets_and_qa_parent_heading_with_docker_subsections():
    document = parse_notes(read(FIXTURES / "qa_parent.md"))
    assert document.title == "Docker & Kubernetes 노트 (MSP T2 24-9차) (^_^)"
    assert [s.title for s in document.sections] == ["Docker", "Kubernetes"]
    assert document.blocks[1].text == "## Q&A\n\n"
    docker = document.sections[0]
    assert docker.heading == "### Docker"
    assert [q.question for q in docker.questions][0] == "컨테이너를 여러 개 띄우면 커널도 여러 개가 되나요?"
    assert docker.questions[2].answer.endswith("![](./img/port_menu.png)\n![](img/port_result.png)")


def test_deep_nesting_stays_inside_one_answer():
    kubernetes = parse_notes(read(FIXTURES / "qa_parent.md")).sections[1]
    (question,) = kubernetes.questions
    assert question.answer.splitlines()[-1] == "      - 다만 스케일은 Pod 단위로만 됩니다."


def test_cheat_sheet_heading_is_not_a_qa_section():
    document = parse_notes(read(FIXTURES / "qa_parent.md"))
    assert document.blocks[-1].text.startswith("### Kubernetes 명령어 정리")
    assert sum(len(s.questions) for s in document.sections) == 4


def test_heading_without_space_is_structure_and_kept_verbatim():
    document = parse_notes("# T\n\n##MSP T3 강의계획\n- 1일차\n  - 이론 : CH01 ~ CH04\n\n## Docker\n\n- q?\n  - a\n")
    assert isinstance(document.schedule, Schedule)
    assert document.blocks[1].text == "\n##MSP T3 강의계획\n"
    assert document.schedule.days[0].theory == "CH01 ~ CH04"


def test_pseudo_heading_inside_a_code_fence_is_left_alone():
    text = "# T\n\n## Docker\n\n- q?\n\n```bash\n#!/bin/bash\n##not-a-heading\n```\n"
    (section,) = parse_notes(text).sections
    assert len(section.questions) == 1
    assert "##not-a-heading" in section.questions[0].answer


def test_crlf_and_missing_final_newline():
    raw = (FIXTURES / "crlf_no_newline.md").read_bytes()
    assert b"\r\n" in raw and not raw.endswith(b"\n")
    document = parse_notes(raw.decode())
    (section,) = document.sections
    assert [q.answer for q in section.questions] == ["- 네, CRLF는 LF로 읽습니다.", "- 네, 그대로 다시 씁니다."]
    assert section.questions[0].question == "CRLF 줄바꿈 파일도 읽히나요?"
    assert not write_notes(document).endswith("\n")


def test_split_lines_reads_lone_cr_as_newline_and_keeps_unicode_separators():
    assert split_lines("a\rb\u2028c\r\nd") == ["a\n", "b\u2028c\n", "d"]


def test_curriculum_strike_through_gives_theory_and_lab_separately():
    curriculum = parse_notes(read(FIXTURES / "variants.md")).curriculum
    state = {row.number: (row.theory_done, row.lab_done) for row in curriculum.rows}
    assert state[1] == (True, False) and state[2] == (True, True) and state[3] == (True, False)
    assert state[4] == (False, False)
    assert curriculum.rows[0].lab_col is None  # chapter 1 has no lab ("-")


def test_curriculum_rewrite_touches_only_the_changed_cells():
    curriculum = parse_notes(read(FIXTURES / "variants.md")).curriculum
    lines = curriculum.text.split("\n")
    out = curriculum_markdown(curriculum, {3: (True, True), 2: (False, True)}).split("\n")
    assert "~~[Hands-on] 03_Docker_Storage~~" in out[lines.index(next(x for x in lines if x.startswith("| 3")))]
    row2 = next(x for x in out if x.startswith("| 2"))
    assert "| [Book] 02_Docker_Commands " in row2 and "~~[Hands-on] 02_Docker_Commands~~" in row2
    assert [a for a, b in zip(lines, out, strict=True) if a != b] == [lines[3], lines[4]]
    assert curriculum_markdown(curriculum, {}) == curriculum.text


@pytest.mark.parametrize(
    ("question", "answer", "chapter"),
    [
        ("CH06 관련 질문입니다", "", 6),
        ("ch05에서 본 Dockerfile", "", 5),
        ("Chapter2 명령어", "", 2),
        ("chapter 12의 ConfigMap", "", 12),
        ("5장에 나온 내용", "", 5),
        ("hands-on 05 실습에서 막혀요", "", 6),
        ("실습 05 에서", "", 6),
        ("Dockerfile 실습(ch05) 에서", "", 6),
        ("[Hands-on] 08. Kubernetes Workload(1)  실습에서", "", 8),
        ("[Hands-on] 05_Dockerfile 질문", "", 6),
        ("질문", "06. Dockerfile Best practice 교재의 Build context부분", 6),
        ("질문", "[Book] 10_Kubernetes_Service 참고", 10),
        ("CH06의 링크", "ch02", 6),  # the question's own reference wins
        ("질문", "CH06의 [multi-line](https://x.test/%5BBook%5D%2003_Docker_Storage.md)", 6),
        ("CH99 는 없는 장", "", None),
        ("branch5 의 커밋", "", None),
        ("질문", "```bash\ncd hands_on_files/ch10\n```", None),  # code is not prose
        ("4. Docker 네트워크 (리눅스 용)", "", None),  # a blog title, not chapter 4's title
        ("사진 없이 질문", "", None),
    ],
)
def test_find_chapter(question, answer, chapter):
    assert find_chapter(question, answer, lab_chapters=LABS, titles=TITLES) == chapter


def test_find_references_lists_every_reference_in_order():
    assert find_references("CH03 와 hands-on 05, 그리고 15장", lab_chapters=LABS, titles=TITLES) == [3, 6, 15]


def test_prose_drops_code_and_link_targets():
    assert prose("보기 [CH03](https://x/ch09)\n```\nch10\n```\nhttp://y/ch11").split() == ["보기", "[CH03]"]


@pytest.mark.parametrize(
    ("text", "lower", "expected"),
    [
        ("Docker overview ~ network", 1, (1, 4)),
        ("Dockerfile ~ K8s workload(2)", 5, (5, 9)),
        ("K8s service ~ Helm", 10, (10, 15)),
        ("CH04 ~ CH07", 1, (4, 7)),
        ("overview ~ K8s service", 5, (7, 10)),
        ("Docker 설치 ~ network", 1, None),
        ("", 1, None),
    ],
)
def test_chapter_range(text, lower, expected):
    assert chapter_range(text, lab_chapters=LABS, titles=TITLES, lower=lower) == expected


@pytest.mark.parametrize(
    ("title", "fields"),
    [
        ("MSP T3 - 23-3차", {"program": "MSP T3", "run_code": "23-3차", "track": ""}),
        ("Docker & Kubernetes 노트 (MSP T2 23-2차) (●'◡'●)", {"program": "MSP T2", "run_code": "23-2차", "track": ""}),
        ("MSP T3 - 2024 AWS Track", {"program": "MSP T3", "run_code": "2024", "track": "AWS"}),
        ("MSP T3 - mspt3_24-2차 (SCP Track)", {"program": "MSP T3", "run_code": "24-2차", "track": "SCP"}),
        ("Kubernetes 스터디", {"program": "", "run_code": "", "track": ""}),
    ],
)
def test_cohort_fields_from_title(title, fields):
    assert cohort_fields(title) == fields


def test_image_paths_are_relative_ones_outside_code_each_once():
    text = "![](./img/a.png)\n![](img/a.png)\n![](./img/a.png)\n![x](https://e.test/b.png)\n```\n![](img/c.png)\n```\n"
    assert image_paths(text) == ["./img/a.png", "img/a.png"]


def test_empty_answer_bullet_under_a_question_is_read_as_a_pending_question_not_a_heading():
    (section,) = parse_notes("# T\n\n## Docker\n\n- 질문입니다?\n  -\n\n- 다음 질문?\n  - 답\n").sections
    assert [(q.question, q.answer) for q in section.questions] == [("질문입니다?", "-"), ("다음 질문?", "- 답")]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("새 질문?", "- 답입니다."),
        ("여러 줄\n질문?", "문단으로 시작하는 답\n\n```bash\n# 주석\necho hi\n```"),
        ("대기 중인 질문?", "- ..."),
        ("코드만?", "```yaml\n- a: 1\n```"),
        ("인용?", "> 인용으로 시작\n- 그리고 목록"),
    ],
)
def test_regenerated_question_reads_back_as_the_same_question_and_answer(question, answer):
    text = "# T\n\n## Docker\n\n" + question_markdown(question, answer)
    (section,) = parse_notes(text).sections
    (parsed,) = section.questions
    assert (parsed.question, parsed.answer) == (question, answer)


@pytest.mark.parametrize("answer", ["", "  \n", "...", "…", "-", "- ...\n- ..."])
def test_a_pending_answer_is_written_with_the_notes_pending_marker(answer):
    assert question_markdown("대기 중?", answer) == "- 대기 중?\n  - ...\n\n"


def test_regenerated_question_style_is_bullet_then_indented_answer():
    assert question_markdown("질문?", "- 답\n  - 더") == "- 질문?\n  - 답\n    - 더\n\n"
    assert question_markdown("질문?", "네, 됩니다.") == "- 질문?\n\n  네, 됩니다.\n\n"


def test_unmodelled_text_renders_the_same_when_written_back():
    text = read(FIXTURES / "variants.md")
    assert rendered(write_notes(parse_notes(text))) == rendered(text)


@pytest.mark.parametrize(
    "block,text",
    [
        ("##MSP T3 강의계획\n", "MSP T3 강의계획"),
        ("\n\n## Plan ##\n\n", "Plan"),
        ("plain text", None),
        ("## a\n## b", None),
    ],
)
def test_lone_heading_text_reads_one_heading_line_with_or_without_a_space(block, text):
    from notes.parser.parser import lone_heading_text

    assert lone_heading_text(block) == text
