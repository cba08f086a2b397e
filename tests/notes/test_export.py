"""Exporting a cohort: fidelity after import, site edits in the notes' style, the notes.md download."""

import pytest
from django.utils import timezone

from notes.exporter import export_cohort
from notes.importer import import_notes_file, import_notes_text
from notes.parser import parse_notes
from qa.models import Question, Section
from tests.factories import make_cohort, make_progress, make_question, make_section, make_user
from tests.notes.notes_support import DEMO_FILE, FIXTURE_FILES, FIXTURES, media_root, read, rendered  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.mark.parametrize("path", [*FIXTURE_FILES, DEMO_FILE], ids=lambda p: p.name)
def test_fixture_export_after_import_is_the_same_text_and_renders_the_same(path):
    cohort = import_notes_file(path).cohort
    exported = export_cohort(cohort)
    assert exported == read(path).replace("\r\n", "\n")
    assert rendered(exported) == rendered(read(path))


@pytest.fixture
def imported():
    return import_notes_file(FIXTURES / "variants.md").cohort


def docker_question(cohort, start):
    return Question.objects.get(section__cohort=cohort, question__startswith=start)


def test_filled_answer_is_written_under_its_bullet_in_place(imported):
    question = docker_question(imported, "네트워크 드라이버별")
    question.answer = "- bridge, host, none, overlay 가 있습니다.\n  - 기본은 bridge 입니다."
    question.save()
    out = export_cohort(imported)
    assert ("- 네트워크 드라이버별 차이는?\n  - bridge, host, none, overlay 가 있습니다.\n"
            "    - 기본은 bridge 입니다.\n\n- 캐시를 안 쓰고 빌드하려면?") in out
    assert "  - ...\n" not in out.split("## Kubernetes")[0]
    parsed = parse_notes(out).sections[0].questions[4]
    assert (parsed.question, parsed.answer) == (question.question, question.answer)


def test_question_added_on_the_site_goes_at_the_end_of_its_section_before_the_summary(imported):
    docker = imported.sections.get(title="Docker")
    Question.objects.create(section=docker, question="사이트에서 추가한 질문?", answer="")
    out = export_cohort(imported)
    # Pending, so with the notes' own pending marker, not as a bare bullet.
    assert "  -\n\n- 사이트에서 추가한 질문?\n  - ...\n\n### Docker Summary" in out
    assert rendered(out) != rendered(read(FIXTURES / "variants.md"))
    assert [q.question for q in parse_notes(out).sections[0].questions][-1] == "사이트에서 추가한 질문?"


def test_new_section_from_the_site_is_appended(imported):
    helm = Section.objects.create(cohort=imported, title="Helm", position=9)
    make_question(helm, "Helm 질문?", "- 답")
    out = export_cohort(imported)
    assert out.endswith("의견이 있었습니다.\n\n## Helm\n\n- Helm 질문?\n  - 답\n\n")


def test_struck_and_unstruck_chapters_change_only_their_cells(imported):
    original = read(FIXTURES / "variants.md")
    four = imported.progress.get(chapter__number=4)
    four.theory_done_at = timezone.now()
    four.save()
    two = imported.progress.get(chapter__number=2)
    two.lab_done_at = None
    two.save()
    out = export_cohort(imported)
    changed = [(a, b) for a, b in zip(original.split("\n"), out.split("\n"), strict=True) if a != b]
    assert changed == [
        ("| 2   | ~~[Book] 02_Docker_Commands~~         | ~~[Hands-on] 02_Docker_Commands~~       |",
         "| 2   | ~~[Book] 02_Docker_Commands~~         | [Hands-on] 02_Docker_Commands           |"),
        ("| 4   | [Book] 04_Docker_Network            | [Hands-on] 04_Docker_Network          |",
         "| 4   | ~~[Book] 04_Docker_Network~~        | [Hands-on] 04_Docker_Network          |"),
    ]


def test_changed_schedule_and_title_are_rewritten_in_the_notes_style(imported):
    day = imported.schedule_days.get(day=2)
    day.theory = "CH04 ~ CH09"
    day.save()
    imported.title = "MSP T3 - 99-1차 (SCP Track) 재수강"
    imported.save()
    out = export_cohort(imported)
    assert "\n# MSP T3 - 99-1차 (SCP Track) 재수강\n" in out
    assert "##MSP T3 강의계획\n- 1일차\n  - 이론 : Docker overview ~ Docker storage\n" in out
    assert "- 2일차\n  - 이론 : CH04 ~ CH09\n  - 실습 : network ~ K8s overview\n" in out


def test_deleted_question_disappears_and_the_rest_stays_verbatim(imported):
    docker_question(imported, "빌드 스크립트").delete()
    out = export_cohort(imported)
    assert "빌드 스크립트" not in out and "# 이 줄은 제목이 아니라 주석입니다" not in out
    assert rendered(out.split("## Kubernetes")[1]) == rendered(read(FIXTURES / "variants.md").split("## Kubernetes")[1])


def test_cohort_created_on_the_site_exports_title_curriculum_and_sections():
    cohort = make_cohort("MSP T3 - 사이트 코호트")
    make_progress(cohort, 1, theory=True)
    make_question(make_section(cohort, "Docker"), "질문?", "- 답")
    out = export_cohort(cohort)
    assert out.startswith("# MSP T3 - 사이트 코호트\n\n| No. | 이론 | 실습 |\n| --- | --- | --- |\n"
                          "| 1 | ~[Book] 01_Docker_Overview~ | - |\n| 2 | [Book] 02_Docker_Commands |")
    assert out.endswith("## Docker\n\n- 질문?\n  - 답\n\n")
    again = import_notes_text(out, slug="site-copy").cohort
    assert again.progress.get(chapter__number=1).theory_done
    assert Question.objects.get(section__cohort=again).answer == "- 답"


def test_export_then_reimport_into_the_same_cohort_changes_nothing(imported):
    docker_question(imported, "네트워크 드라이버별").delete()
    Question.objects.create(section=imported.sections.get(title="Docker"), question="새 질문?", answer="- 새 답")
    ids = sorted(Question.objects.filter(section__cohort=imported).values_list("pk", flat=True))
    report = import_notes_text(export_cohort(imported), slug=imported.slug)
    assert (report.added, report.removed, report.site_kept) == (0, 0, 0)
    assert sorted(Question.objects.filter(section__cohort=imported).values_list("pk", flat=True)) == ids
    assert Question.objects.get(question="새 질문?").origin == Question.Origin.NOTES


class TestNotesDownload:
    def test_public_cohort_notes_download_as_markdown(self, client, imported):
        response = client.get(f"/cohorts/{imported.slug}/notes.md")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/markdown; charset=utf-8"
        assert response.content.decode() == read(FIXTURES / "variants.md")

    def test_private_cohort_notes_are_404_for_anonymous_and_outsiders(self, client):
        cohort = import_notes_file(FIXTURES / "qa_parent.md", private=True).cohort
        assert client.get(f"/cohorts/{cohort.slug}/notes.md").status_code == 404
        client.force_login(make_user("outsider"))
        assert client.get(f"/cohorts/{cohort.slug}/notes.md").status_code == 404

    def test_private_cohort_notes_download_for_its_student(self, client):
        cohort = import_notes_file(FIXTURES / "qa_parent.md", private=True).cohort
        student = make_user("member")
        cohort.memberships.create(user=student, role="student")
        client.force_login(student)
        response = client.get(f"/cohorts/{cohort.slug}/notes.md")
        assert response.status_code == 200 and "## Q&A" in response.content.decode()
        assert "no-store" in response["Cache-Control"]

    def test_notes_download_is_read_only(self, client, imported):
        assert client.post(f"/cohorts/{imported.slug}/notes.md").status_code == 405
