from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext as _

from qa.models import Question
from search.analysis import plain_words
from search.index import index_questions
from search.models import GlossaryTerm


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["key", "spellings"]
    search_fields = ["key", "spellings"]
    filter_horizontal = ["chapters"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        term = form.instance
        transaction.on_commit(lambda: self._reindex(request, term))

    def delete_model(self, request, obj):
        spellings = obj.spelling_list()
        super().delete_model(request, obj)
        self._reindex_spellings(request, spellings)

    def _reindex(self, request, term):
        self._reindex_spellings(request, term.spelling_list())

    def _reindex_spellings(self, request, spellings):
        """Only the questions that contain one of the spellings are analysed again."""
        questions = Question.objects.none()
        for spelling in spellings:
            words = [token.term for token in plain_words(spelling)]
            if words:
                questions = questions | Question.objects.filter(
                    search_document__question_terms__icontains=" ".join(words)
                ) | Question.objects.filter(search_document__answer_terms__icontains=" ".join(words))
        written = index_questions(questions.distinct(), force=True)
        messages.info(request, _("%(n)s questions were analysed again with the changed glossary.") % {"n": written})
