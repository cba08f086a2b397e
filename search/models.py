"""The search index (one row of analysed terms per question) and the glossary staff extend.

The full-text structures over ``SearchDocument`` are not in the model state (they are
vendor-specific, see migration 0001): an FTS5 table kept in sync by triggers on SQLite, a
generated, GIN-indexed ``tsvector`` column on PostgreSQL.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """The analysed terms of a question and of its answer, written whenever either changes.

    Deleted with its question (one row or many: the ORM's cascade collects them), and
    through the triggers the full-text index follows.
    """

    question = models.OneToOneField(
        "qa.Question",
        verbose_name=_("question"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    question_terms = models.TextField(_("question terms"), blank=True)
    answer_terms = models.TextField(_("answer terms"), blank=True)
    # Of the texts and the analysis that made the terms: an unchanged question is not analysed again.
    digest = models.CharField(_("digest"), max_length=64)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return f"search document of question {self.question_id}"


class GlossaryTerm(models.Model):
    """A concept staff add to the course glossary (search/glossary.toml holds the rest)."""

    key = models.SlugField(
        _("key"), max_length=60, unique=True,
        help_text=_("ASCII letters and digits naming the concept, e.g. 'serviceaccount'. "
                    "The same key as a term of the built-in glossary adds spellings to it."),
    )
    spellings = models.TextField(
        _("spellings"),
        help_text=_("One per line: the English term, its Korean spellings, short forms (e.g. volume, 볼륨, vol)."),
    )
    chapters = models.ManyToManyField("curriculum.Chapter", blank=True, verbose_name=_("chapters"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self):
        return self.key

    def spelling_list(self) -> list[str]:
        return [line.strip() for line in self.spellings.splitlines() if line.strip()]
