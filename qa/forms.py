"""Forms instructors use in class: quick entry, edits checked against the revision, answers."""

from django import forms
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from curriculum.models import Chapter
from curriculum.schedule import PART_SECTION_TITLES
from qa.chapter_sources import site_question_chapter, source_of_placement
from qa.models import ChapterSource, Question, Section
from qa.placement import place

NEW_SECTION_PREFIX = "new:"
AUTOMATIC = ""


class QuickEntryForm(forms.ModelForm):
    """A question logged in class. Left on "Automatic", section and chapter follow qa.placement:
    the chapter the text names, its part's section, else what is taught today."""

    section = forms.ChoiceField(label=_("Section"), required=False)

    class Meta:
        model = Question
        fields = ["question", "chapter", "answer"]  # section is resolved in clean()
        widgets = {"question": forms.Textarea(attrs={"rows": 2, "data-enter-submits": "", "autocomplete": "off"})}
        labels = {"chapter": _("Chapter")}

    def __init__(self, *args, cohort, on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.on = on
        sections = {str(s.pk): s for s in cohort.sections.all()}
        choices = [(AUTOMATIC, _("Automatic"))] + [(pk, s.title) for pk, s in sections.items()]
        known = {s.title.lower() for s in sections.values()}
        # The part sections always exist as choices; a new cohort gets them on first use.
        for titles in PART_SECTION_TITLES.values():
            if not known.intersection(t.lower() for t in titles):
                choices.append((NEW_SECTION_PREFIX + titles[0], titles[0]))
        self.fields["section"].choices = choices
        self.fields["answer"].required = False
        self.fields["answer"].widget.attrs.update(rows=3, placeholder=_("Empty or '...' = pending"))
        self.fields["chapter"].queryset = Chapter.objects.all()
        self.fields["chapter"].empty_label = _("Automatic")
        self._sections = sections

    def clean_section(self):
        value = self.cleaned_data["section"]
        if value == AUTOMATIC:
            return None
        if value.startswith(NEW_SECTION_PREFIX):
            return value[len(NEW_SECTION_PREFIX):]
        return self._sections[value]

    def clean(self):
        cleaned = super().clean()
        if "question" in cleaned and "section" in cleaned:
            self.placement = place(
                self.cohort, cleaned["question"], section=cleaned["section"], chapter=cleaned.get("chapter"), on=self.on
            )
            if self.placement.section is None:
                self.add_error(
                    "section",
                    _("Choose a section: the question names no chapter and nothing is scheduled for today."),
                )
            else:  # inferred here, before the save's transaction
                self.chapter_choice = site_question_chapter(
                    cleaned["question"], cleaned.get("answer") or "", self.placement.section_title,
                    self.placement.chapter, self.placement.chapter_reason,
                )
        return cleaned

    def save(self, commit=True):
        section = self.placement.section
        if isinstance(section, str):
            section = Section.objects.titled(self.cohort, section)
        self.instance.section = section
        self.instance.chapter, self.instance.chapter_source = self.chapter_choice
        return super().save(commit=commit)


class RevisionCheckedForm(forms.ModelForm):
    """An edit of a question that saves only over the revision it was loaded at."""

    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = self.instance.revision
        if "answer" in self.fields:
            self.fields["answer"].widget.attrs.setdefault("rows", 6)

    def save_checked(self):
        """Save, or raise qa.models.StaleEdit if someone saved since the form was loaded."""
        question = self.save(commit=False)
        if "chapter" in self.changed_data:  # an instructor chose it: a re-import keeps it
            question.chapter_source = ChapterSource.INSTRUCTOR
        question.save_checked(self.cleaned_data["revision"])
        return question

    def merge_form(self, current):
        """The same form over the stored ``current`` question, pre-filled with this submission."""
        mine = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        return type(self)(instance=current, initial={**mine, "revision": current.revision})


class QuestionEditForm(RevisionCheckedForm):
    class Meta:
        model = Question
        fields = ["question", "chapter", "answer"]
        widgets = {"question": forms.Textarea(attrs={"rows": 2})}
        labels = {"chapter": _("Chapter")}


class AnswerForm(RevisionCheckedForm):
    """The pending queue's answer box: empty with a placeholder, not prefilled with the notes' ``- ...``."""

    class Meta:
        model = Question
        fields = ["answer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].widget.attrs["placeholder"] = _("Write the answer (markdown)")
        if self.instance.pending:
            self.initial["answer"] = ""

    def clean_answer(self):
        # Saving the empty box changes nothing: the question keeps the notes' own placeholder.
        answer = self.cleaned_data["answer"]
        return answer if answer.strip() or not self.instance.pending else self.instance.answer


class QuestionAdminForm(forms.ModelForm):
    """The admin's change form: refuses to save over a revision newer than the one it loaded."""

    loaded_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Question
        fields = ["section", "position", "question", "answer", "chapter", "author"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_revision"].initial = self.instance.revision

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("chapter") and cleaned.get("section") and cleaned.get("question"):
            # A new question without a chapter gets one by the site's one rule (qa.placement).
            section = cleaned["section"]
            placement = place(section.cohort, cleaned["question"], section=section)
            cleaned["chapter"], self.placed_source = placement.chapter, source_of_placement(placement.chapter_reason)
        loaded = cleaned.get("loaded_revision")
        if self.instance.pk and loaded is not None:
            current = Question.objects.get(pk=self.instance.pk)
            if current.revision != loaded:
                # The next save is a deliberate merge over what is stored now.
                self.data = self.data.copy()
                self.data[self.add_prefix("loaded_revision")] = current.revision
                raise forms.ValidationError(
                    _(
                        "Someone else saved this question while you were editing it (revision %(theirs)s; "
                        "you started from %(yours)s). Nothing was saved. Their question: «%(question)s». "
                        "Their answer: «%(answer)s». Your text is still in the form: merge it and save again."
                    ),
                    code="stale",
                    params={
                        "theirs": current.revision,
                        "yours": loaded,
                        "question": current.question,
                        "answer": current.answer,
                    },
                )
        return cleaned

    def save(self, commit=True):
        if "chapter" in self.changed_data or getattr(self, "placed_source", None):
            self.instance.chapter_source = getattr(self, "placed_source", None) or ChapterSource.INSTRUCTOR
        return super().save(commit=commit)


class QuestionMoveForm(forms.Form):
    """Move a question up or down within its section, or to the end of another section."""

    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))], required=False)
    section = forms.ModelChoiceField(queryset=Section.objects.none(), required=False, label=_("Move to section"))

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields["section"].queryset = question.section.cohort.sections.all()

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("direction")) == bool(cleaned.get("section")):
            raise forms.ValidationError(_("Give either a direction (up/down) or a section to move to."))
        return cleaned

    def save(self):
        """Only position and section change (so no one's text is overwritten); both count as a new revision."""
        question = self.question
        changes = {}
        if self.cleaned_data["section"]:
            target = self.cleaned_data["section"]
            if target.pk != question.section_id:
                changes[question.pk] = {"section": target, "position": Question.next_position(target)}
        else:
            siblings = question.section.questions.order_by("position", "id")
            if self.cleaned_data["direction"] == "up":
                neighbour = siblings.filter(position__lt=question.position).last()
            else:
                neighbour = siblings.filter(position__gt=question.position).first()
            if neighbour:
                changes = {question.pk: {"position": neighbour.position}, neighbour.pk: {"position": question.position}}
        if not changes:
            return question
        with transaction.atomic():  # each update() touches the cohort (CohortContentQuerySet)
            for pk, fields in changes.items():
                Question.objects.filter(pk=pk).update(
                    revision=F("revision") + 1, updated_at=timezone.now(), **fields
                )
        question.refresh_from_db()
        return question
