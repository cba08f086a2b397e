import re

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from courses.models import CohortContent, CohortContentQuerySet
from mspt3.fields import SingleLineCharField
from mspt3.limits import ANSWER_MAX_CHARS, EXTRA_MAX_CHARS, QUESTION_MAX_CHARS
from mspt3.validators import MarkdownLimitValidator
from notes.parser.text import content_digest, is_one_heading, is_pending_answer, one_paragraph
from qa.images import NotesImage as NotesImage  # defined beside the URL rewriter rendering uses


class SectionQuerySet(CohortContentQuerySet):
    def titled(self, cohort, title: str) -> "Section":
        """The cohort's section ``title``, created after its last section when it has none
        (after the highest position, not the count: deletions leave gaps). Every path that
        creates a section by title (quick entry, the API) comes here."""
        section = self.filter(cohort=cohort, title=title).first()
        if section is None:
            last = self.filter(cohort=cohort).aggregate(m=Max("position"))["m"] or 0
            section, _created = self.get_or_create(
                cohort=cohort, title=title, defaults={"heading": f"## {title}", "position": last + 1}
            )
        return section


class Section(CohortContent):
    """A topic section of a cohort's Q&A (``## Docker``, ``### Kubernetes``…)."""

    cohort = models.ForeignKey(
        "courses.Cohort", verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="sections"
    )
    title = SingleLineCharField(_("title"), max_length=200)
    heading = models.CharField(
        _("heading"), max_length=300, blank=True, help_text=_("The heading line as written, e.g. '## Docker'.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        indexes = [models.Index(fields=["cohort", "position"])]
        constraints = [models.UniqueConstraint(fields=["cohort", "title"], name="unique_section_title_per_cohort")]

    def __str__(self):
        return f"{self.cohort} · {self.title}"

    def page_cohort(self):
        return self.cohort

    @property
    def heading_line(self):
        """The heading as written when it is one heading; else (edited into anything more) ``## title``."""
        return self.heading if is_one_heading(self.heading) else f"## {self.title}"

    @cached_property
    def heading_level(self):
        """2 for ``## Docker``, 3 for ``### Helm commands``…: the page shows it at its own level."""
        return min(max(len(self.heading_line) - len(self.heading_line.lstrip("#")), 2), 6)

    @cached_property
    def heading_html(self):
        """The heading's text rendered like any heading (inline markdown, links, code), sanitised.
        Rendered with the flow, which readers share per cohort version (one line: microseconds)."""
        from mspt3.markdown import render_markdown

        rendered = render_markdown(self.heading_line)
        return re.sub(r"^\s*<h[1-6][^>]*>|</h[1-6]>\s*$", "", rendered)


class SectionExtra(CohortContent):
    """Content of a section that is not a question: a summary board, a rule, a note.

    Shares the position sequence of the section's questions, so the export puts
    it back exactly where it was.
    """

    cohort_lookup = "section__cohort"

    class Kind(models.TextChoices):
        SUMMARY = "summary", _("summary board")
        TEXT = "text", _("other content")

    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="extras")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    position = models.PositiveIntegerField(_("position"), default=0)
    source = models.TextField(
        _("source"),
        help_text=_("Markdown, verbatim from the notes."),
        validators=[MarkdownLimitValidator(EXTRA_MAX_CHARS)],
    )
    html = models.TextField(_("html"), blank=True, editable=False)

    class Meta:
        ordering = ["section", "position"]
        verbose_name = _("section extra")
        verbose_name_plural = _("section extras")

    def __str__(self):
        return f"{self.section} · {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        from qa.rendering import render_for_cohort

        self.html = render_for_cohort(self.source, self.section.cohort_id)
        super().save(*args, **kwargs)

    def page_cohort(self):
        return self.section.cohort


class QuestionQuerySet(CohortContentQuerySet):
    def pending(self):
        return self.filter(pending=True)

    def answered(self):
        return self.filter(pending=False)

    def visible_to(self, user):
        from courses.models import Cohort

        return self.filter(section__cohort__in=Cohort.objects.visible_to(user))

    def writable_by(self, user):
        from courses.models import Cohort

        return self.filter(section__cohort__in=Cohort.objects.taught_by(user))

    def for_chapter(self, number):
        return self.filter(chapter__number=number)

    def archive_order(self):
        """Newest cohort first (undated ones last), then the notes' order within each."""
        return self.order_by(
            F("section__cohort__starts_on").desc(nulls_last=True),
            "-section__cohort__created_at",
            "section__position",
            "position",
            "id",
        )

    def search(self, query: str, words=None):
        """Every word of ``query`` must match after analysis (search.engine), best first;
        ``words``: the query already analysed (search.engine.search_words)."""
        from search.engine import search

        return search(self, query, words)

    def update(self, **kwargs):
        """Bulk edits of the texts reach the search index too (before: the filter may name the old text),
        and a new answer keeps ``pending`` in step, as Question.save does (the pending queue, hearing back)."""
        if isinstance(kwargs.get("answer"), str) and "pending" not in kwargs:
            kwargs["pending"] = is_pending_answer(kwargs["answer"])
        if not {"question", "answer"} & kwargs.keys():
            return super().update(**kwargs)
        from search.index import index_questions, prepare, write_documents

        rows = list(self.values_list("pk", "question", "answer"))
        if not all(isinstance(kwargs.get(name, ""), str) for name in ("question", "answer")):
            # An expression (F(), Concat…): the new texts are known only once written.
            updated = super().update(**kwargs)
            index_questions(self.model.objects.filter(pk__in=[pk for pk, _, _ in rows]))
            return updated
        rows = [(pk, kwargs.get("question", question), kwargs.get("answer", answer)) for pk, question, answer in rows]
        analysed = prepare((question, answer) for _, question, answer in rows)  # before the transaction
        with transaction.atomic():
            updated = super().update(**kwargs)
            write_documents(rows, analysed)
        return updated


class ChapterSource(models.TextChoices):
    EXPLICIT = "explicit", _("named in the text")
    INFERRED = "inferred", _("inferred")
    INSTRUCTOR = "instructor", _("set by an instructor")


class StaleEdit(Exception):
    """The question changed since the editor loaded it; ``current`` is what is stored now."""

    def __init__(self, current):
        super().__init__(f"Question {current.pk} is at revision {current.revision}")
        self.current = current


class Question(CohortContent):
    cohort_lookup = "section__cohort"

    class Origin(models.TextChoices):
        NOTES = "notes", _("imported from notes")
        SITE = "site", _("added on the site")

    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"), default=0)
    question = models.TextField(_("question"), validators=[MarkdownLimitValidator(QUESTION_MAX_CHARS)])
    question_html = models.TextField(_("question html"), blank=True, editable=False)
    answer = MarkdownxField(
        _("answer"),
        blank=True,
        help_text=_("Markdown. Leave empty (or '...') while pending."),
        validators=[MarkdownLimitValidator(ANSWER_MAX_CHARS)],
    )
    answer_html = models.TextField(_("answer html"), blank=True, editable=False)
    pending = models.BooleanField(_("pending"), default=True, editable=False, db_index=True)
    chapter = models.ForeignKey(
        "curriculum.Chapter",
        verbose_name=_("chapter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    # Where the chapter came from (qa.chapter_sources): the text names it, it was inferred from the
    # content, or an instructor set it (that one a re-import never overwrites, even when it is "none").
    chapter_source = models.CharField(
        _("chapter source"), max_length=10, choices=ChapterSource.choices, blank=True, default="", editable=False
    )
    # The same question asked in another cohort, linked when an instructor used its answer ("use this
    # answer"); symmetrical: each shows the other under "also asked in".
    similar_to = models.ManyToManyField("self", blank=True, symmetrical=True, verbose_name=_("also asked as"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.SITE, editable=False)
    # The lines of the notes file this question came from, and the digest of
    # question+answer at that time: unchanged questions export verbatim.
    source_text = models.TextField(_("source text"), blank=True, editable=False)
    source_digest = models.CharField(_("source digest"), max_length=64, blank=True, editable=False)
    # What the file said at the last import ({"section", "question", "answer"}): the
    # base of the three-way merge a re-import makes with the site's edits.
    import_base = models.JSONField(_("import base"), default=dict, blank=True, editable=False)
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=100, null=True, blank=True, unique=True, editable=False
    )
    # What the request that used the key asked for (mspt3.conditional.request_fingerprint):
    # the same key with another body is refused, not answered with this question.
    idempotency_fingerprint = models.CharField(
        _("idempotency fingerprint"), max_length=64, blank=True, default="", editable=False
    )
    # Bumped on every save; the ETag / If-Match token for concurrent edits.
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["section__cohort", "section__position", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["section", "position"]),
            models.Index(fields=["pending", "created_at"]),
        ]

    def __str__(self):
        return self.question[:80]

    def get_absolute_url(self):
        return reverse("cohort", kwargs={"slug": self.section.cohort.slug}) + f"#q-{self.pk}"

    @property
    def cohort(self):
        return self.section.cohort

    @property
    def is_unchanged_since_import(self):
        return bool(self.source_digest) and self.source_digest == content_digest(self.question, self.answer)

    @property
    def etag(self):
        return f'"q{self.pk}-r{self.revision}"'

    def _render(self):
        """HTML from the markdown; write paths render it before their transaction (qa.rendering)."""
        from qa.rendering import render_for_cohort

        # One paragraph, as the notes write a question: the export then reads back the same.
        self.question = one_paragraph(self.question)
        self.question_html = render_for_cohort(self.question, self.section.cohort_id)
        self.answer_html = render_for_cohort(self.answer, self.section.cohort_id)
        self.pending = is_pending_answer(self.answer)

    def _settle_chapter_source(self):
        """No chapter, no source (unless an instructor said "none"); a chapter set by a path that
        did not say where it came from counts as inferred (never as an instructor's, which re-imports keep)."""
        if self.chapter_id is None and self.chapter_source != ChapterSource.INSTRUCTOR:
            self.chapter_source = ""
        elif self.chapter_id is not None and not self.chapter_source:
            self.chapter_source = ChapterSource.INFERRED

    def save(self, *args, **kwargs):
        self._render()
        self._settle_chapter_source()
        if self.pk:
            self.revision += 1
        if self._state.adding and not self.position:
            self.position = self.next_position(self.section)
        with self._analysed_in_advance(), transaction.atomic():
            super().save(*args, **kwargs)
            self._index()

    def save_checked(self, expected_revision: int):
        """Save only if nobody saved since ``expected_revision``, else raise StaleEdit.

        One conditional UPDATE, so two editors racing cannot both win on either
        database; the loser gets the stored version to merge with.
        """
        self._render()
        self._settle_chapter_source()
        self.updated_at = timezone.now()
        fields = {
            f.attname: getattr(self, f.attname)
            for f in self._meta.concrete_fields
            if not f.primary_key and f.name not in ("created_at", "revision")
        }
        with self._analysed_in_advance(), transaction.atomic():
            updated = Question.objects.filter(pk=self.pk, revision=expected_revision).update(
                revision=expected_revision + 1, **fields
            )
            if not updated:
                raise StaleEdit(Question.objects.get(pk=self.pk))
            self.revision = expected_revision + 1
            self._index()

    def _analysed_in_advance(self):
        """The search terms of the texts, analysed before the save's transaction, as _render renders
        before it (a caller's own transaction analysed them before, in qa.rendering.rendered_in_advance)."""
        from search.index import analysed_in_advance

        return analysed_in_advance([self.question, self.answer])

    def _index(self):
        from search.index import write_documents

        write_documents([(self.pk, self.question, self.answer)], {})

    def page_cohort(self):
        return self.section.cohort

    @staticmethod
    def next_position(section):
        """After the section's last question, before anything that trails it."""
        last = section.questions.aggregate(m=Max("position"))["m"] or 0
        extras = section.extras.filter(position__gt=last)
        if extras.exists():
            extras.update(position=models.F("position") + 1)
        return last + 1
