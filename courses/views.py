from django.shortcuts import render
from django.views.decorators.http import require_safe

from courses.models import Cohort
from courses.policy import can_write, get_cohort_for_user
from curriculum.models import Chapter, ScheduleDay


@require_safe
def home(request):
    cohorts = Cohort.objects.visible_to(request.user)
    return render(request, "courses/home.html", {"cohorts": cohorts})


@require_safe
def cohort_detail(request, slug):
    cohort = get_cohort_for_user(request.user, slug)
    progress = {p.chapter_id: p for p in cohort.progress.all()}
    chapters = Chapter.objects.select_related("lab")
    sections = cohort.sections.prefetch_related("questions__chapter", "extras")
    context = {
        "cohort": cohort,
        "curriculum": [(chapter, progress.get(chapter.pk)) for chapter in chapters],
        "schedule": ScheduleDay.objects.for_cohort(cohort).select_related("first_chapter", "last_chapter"),
        "sections": sections,
        "can_write": can_write(request.user, cohort),
    }
    return render(request, "courses/cohort_detail.html", context)
