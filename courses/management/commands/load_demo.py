from django.core.management.base import BaseCommand
from django.db import transaction

from courses.models import Cohort
from curriculum.models import Chapter, Progress
from qa.models import Question, Section

DEMO_SLUG = "demo"


class Command(BaseCommand):
    help = "Load the demo cohort (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        if Cohort.objects.filter(slug=DEMO_SLUG).exists():
            self.stdout.write("Demo cohort already loaded.")
            return
        cohort = Cohort.objects.create(
            title="MSP T3 - 데모 코호트", slug=DEMO_SLUG, program="MSP T3", run_code="데모"
        )
        for number in (1, 2, 3):
            Progress.objects.create(cohort=cohort, chapter=Chapter.objects.get(number=number))
        docker = Section.objects.create(cohort=cohort, title="Docker", heading="## Docker", position=1)
        Question.objects.create(
            section=docker,
            question="이미지와 컨테이너는 무엇이 다른가요?",
            answer="- 이미지는 읽기 전용 템플릿, 컨테이너는 그 위에 쓰기 레이어를 얹어 실행한 것입니다.",
        )
        Question.objects.create(section=docker, question="볼륨은 언제 지워지나요?", answer="- ...")
        self.stdout.write(self.style.SUCCESS(f"Demo cohort loaded at /cohorts/{DEMO_SLUG}/"))
