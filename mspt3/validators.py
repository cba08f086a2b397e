"""Django's side of mspt3.limits: a field validator, so model forms, the admin and
DRF serializers all refuse the same texts with the same message."""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from mspt3.limits import check_markdown


@deconstructible
class MarkdownLimitValidator:
    """Refuse markdown too big or too deeply nested to render cheaply (see mspt3.limits)."""

    code = "markdown_limit"

    def __init__(self, max_chars):
        self.max_chars = max_chars

    def __call__(self, value):
        if problem := check_markdown(value or "", max_chars=self.max_chars):
            raise ValidationError(f"Too costly to show: {problem}.", code=self.code)

    def __eq__(self, other):
        return isinstance(other, MarkdownLimitValidator) and other.max_chars == self.max_chars
