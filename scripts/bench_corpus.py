"""Notes files for the benchmark archive, made from the project's own fixtures.

Works on the text, not on the importer's internals: a fixture is cut into its
preamble (title, curriculum table, schedule…) and its topic sections; each
section into the question items (a top-level bullet and everything indented
under it). A variant keeps the fixture's preamble under a new title and fills
its topic sections with that fixture's own questions, shuffled and repeated
with a few words changed, until it holds the requested number of questions.
The variants are ordinary notes files: the benchmark loads them through the
real importer.
"""

from __future__ import annotations

import glob
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

FIXTURE_GLOBS = ("demo/*.md", "tests/fixtures/notes/*.md")

_HEADING = re.compile(r"^#{1,6}\s*\S")
_TITLE = re.compile(r"^#\s+\S")
_TOP_BULLET = re.compile(r"^ ?[-*] +(\S.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
# Headings of the Q&A sections (a topic of the course), not the schedule, a summary board,
# a cheat-sheet or a list of links (the words the importer's parser reads the same way).
_TOPIC = re.compile(r"docker|kubernetes|k8s|helm|도커|쿠버네티스", re.I)
_NOT_TOPIC = re.compile(
    r"summary|요약|정리|cheat|치트|계획|schedule|playlist|플레이\s*리스트|재생\s*목록|survey|설문|후기|참고|링크|\blinks?\b|reference",
    re.I,
)

# How a repeated question is re-worded: the way students ask again on another day.
_OPENERS = (
    "", "혹시 ", "다시 여쭤보면, ", "실습 중에 궁금했는데, ", "컨테이너 관련해서, ",
    "이전 기수 질문: ", "강의 끝나고 질문: ",
)
_CLOSERS = (
    "", " (다른 반에서도 나온 질문)", " 운영 환경에서도 같은가요?", " 예시가 있을까요?", " (2일차 질문)",
    " 쿠버네티스에서도 그런가요?",
)


@dataclass
class Section:
    heading: list[str]  # the heading line and anything before the first question
    items: list[str] = field(default_factory=list)  # one question block each, blank lines trimmed
    trailer: list[str] = field(default_factory=list)  # lines after the last question (a rule, a paragraph)


@dataclass
class Fixture:
    name: str
    preamble: list[str]  # title line first
    sections: list[Section | list[str]]  # topic sections, or verbatim line blocks

    @property
    def questions(self) -> int:
        return sum(len(s.items) for s in self.sections if isinstance(s, Section))


def load_fixtures(base_dir: Path, globs=FIXTURE_GLOBS) -> list[Fixture]:
    paths = sorted(Path(p) for pattern in globs for p in glob.glob(str(base_dir / pattern)))
    fixtures = [parse(path.name, path.read_text(encoding="utf-8")) for path in paths]
    fixtures = [f for f in fixtures if f.questions]
    if not fixtures:
        raise SystemExit(f"bench: no notes fixtures with questions under {base_dir}: {', '.join(globs)}")
    return fixtures


def _segments(lines: list[str]) -> list[list[str]]:
    """Lines cut at every heading outside a code fence."""
    segments, current, fenced = [], [], False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and _HEADING.match(line) and current:
            segments.append(current)
            current = []
        current.append(line)
    segments.append(current)
    return segments


def _topic_section(segment: list[str]) -> Section | None:
    heading = segment[0]
    if not _TOPIC.search(heading) or _NOT_TOPIC.search(heading):
        return None
    section = Section(heading=[heading])
    item, fenced = None, False
    for line in segment[1:]:
        starts_item = not fenced and _TOP_BULLET.match(line)
        ends_item = not fenced and line.strip() and not line[0].isspace() and not starts_item
        if _FENCE.match(line):
            fenced = not fenced
        if starts_item:
            item = [line]
            section.items.append(item)
        elif ends_item or (item is None and not section.items):
            item = None
            (section.trailer if section.items else section.heading).append(line)
        elif item is not None:
            item.append(line)
        else:
            section.trailer.append(line)
    if not section.items:
        return None
    section.items = ["\n".join(item).rstrip() for item in section.items]
    return section


def parse(name: str, text: str) -> Fixture:
    segments = _segments(text.splitlines())
    preamble, sections = [], []
    for segment in segments:
        section = _topic_section(segment)
        if section is None and not sections:
            preamble.extend(segment)
        else:
            sections.append(section or segment)
    if not any(_TITLE.match(line) for line in preamble):
        preamble.insert(0, "# notes")
    return Fixture(name, preamble, sections)


def _reworded(item: str, rng: random.Random) -> str:
    first, _, rest = item.partition("\n")
    match = _TOP_BULLET.match(first)
    bullet = first[: match.start(1)]
    opener, closer = rng.choice(_OPENERS), rng.choice(_CLOSERS)
    if not opener and not closer:
        closer = _CLOSERS[1]
    question = opener + match.group(1) + closer
    return bullet + question + ("\n" + rest if rest else "")


def variant(fixture: Fixture, title: str, questions: int, rng: random.Random) -> str:
    """``fixture`` under ``title`` with ``questions`` questions (its own, shuffled,
    repeated re-worded when it needs more than it has)."""
    topic = [s for s in fixture.sections if isinstance(s, Section)]
    pool = [(index, item) for index, s in enumerate(topic) for item in s.items]
    picked = [rng.choice(pool) for _ in range(max(0, questions - len(pool)))]
    chosen = rng.sample(pool, min(questions, len(pool))) + [(i, _reworded(item, rng)) for i, item in picked]
    per_section = {index: [] for index in range(len(topic))}
    for index, item in chosen:
        per_section[index].append(item)
    for items in per_section.values():
        rng.shuffle(items)

    title_done = False
    out = []
    for line in fixture.preamble:
        if not title_done and _TITLE.match(line):
            out.append(f"# {title}")
            title_done = True
        else:
            out.append(line)
    topic_index = 0
    for block in fixture.sections:
        if isinstance(block, Section):
            out += block.heading
            for item in per_section[topic_index]:
                out += [item, ""]
            out += block.trailer
            topic_index += 1
        else:
            out += block
    return "\n".join(out).rstrip() + "\n"


def question_counts(cohorts: int, total: int, rng: random.Random) -> list[int]:
    """How many questions each cohort gets: the first (the largest page) about 3 % of
    all, the others around the mean, every cohort at least one."""
    if cohorts == 1:
        return [total]
    largest = max(total // 33, -(-total // cohorts) + 1)
    rest = total - largest
    weights = [rng.uniform(0.5, 1.5) for _ in range(cohorts - 1)]
    scale = rest / sum(weights)
    counts = [max(1, int(w * scale)) for w in weights]
    counts[-1] += rest - sum(counts)
    while counts[-1] < 1:  # rounding took too much from the last one
        donor = counts.index(max(counts))
        counts[donor] -= 1
        counts[-1] += 1
    counts = [largest] + counts
    return counts


def notes_of_size(fixtures: list[Fixture], size: int, rng: random.Random) -> tuple[str, int]:
    """One notes file of at least ``size`` bytes, and its number of questions."""
    fixture = max(fixtures, key=lambda f: f.questions)
    questions = 50
    while True:
        text = variant(fixture, "MSP T3 - 대용량 노트 (벤치마크)", questions, random.Random(rng.random()))
        length = len(text.encode())
        if length >= size:
            return text, questions
        questions = int(questions * size / length) + 10
