"""What the schedule says is taught today, and the notes section it is logged under."""

from curriculum.models import Chapter, Progress, ScheduleDay

# The topic section each part of the course is logged under, as the notes name them.
PART_SECTION_TITLES = {
    Chapter.Part.DOCKER: ("Docker",),
    Chapter.Part.KUBERNETES: ("Kubernetes", "K8s"),
    Chapter.Part.HELM: ("Helm",),
}


def todays_topic(cohort, on=None):
    """(section title, chapter) the schedule says is being taught on ``on``; (None, None) off schedule.

    The chapter is the first of the day's range whose theory is not struck
    through yet (the last one once all are); its part picks the section.
    """
    plan = ScheduleDay.objects.today_for(cohort, on)
    if plan is None:
        return None, None
    chapters = Chapter.objects.filter(number__range=(plan.first_chapter.number, plan.last_chapter.number))
    completed = Progress.objects.filter(cohort=cohort).completed().values("chapter")
    chapter = chapters.exclude(pk__in=completed).first() or chapters.last()
    titles = PART_SECTION_TITLES[chapter.part]
    existing = {s.title.lower(): s.title for s in cohort.sections.all()}
    title = next((existing[t.lower()] for t in titles if t.lower() in existing), titles[0])
    return title, chapter
