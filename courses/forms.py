"""The cohort's own settings its instructors change on the site."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Cohort


class CohortDatesForm(forms.ModelForm):
    """Start and end of a run. Both or neither; the end not before the start."""

    class Meta:
        model = Cohort
        fields = ["starts_on", "ends_on"]
        widgets = {name: forms.DateInput(attrs={"type": "date"}) for name in fields}

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if bool(starts) != bool(ends) and not self.errors:
            raise forms.ValidationError(_("Give both dates, or clear both."))
        if starts and ends and ends < starts:
            raise forms.ValidationError(_("The end date is before the start date."))
        return cleaned
