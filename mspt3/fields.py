"""Model fields shared by the apps."""

import re

from django.db import models

_LINE_BREAKS = re.compile(r"\s*[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+\s*")


def one_line(text):
    """``text`` with every line break (and the whitespace around it) turned into one space."""
    if isinstance(text, str) and _LINE_BREAKS.search(text):
        return _LINE_BREAKS.sub(" ", text).strip()
    return text


class SingleLineCharField(models.CharField):
    """A title, run code or track: one line, whatever path writes it.

    Line breaks are folded into a space when a form or serializer reads the
    value (``to_python``) and again when any save writes it (``pre_save``, bulk
    writes included), so a field written into a notes heading or list line can
    never become markup that re-imports as questions.
    """

    def to_python(self, value):
        return one_line(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = one_line(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value
