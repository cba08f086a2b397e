"""The images a notes import stored, and the URLs the paths written in notes are served from.

The model lives here, not in ``qa.models``, because rendering (``qa.rendering``, which
``qa.models`` calls at save) needs the rewriter: with the model in ``qa.models`` the two
modules imported each other. ``qa.models`` re-exports ``NotesImage``.
"""

from collections.abc import Callable

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class NotesImage(models.Model):
    """An image a notes file referenced, copied into media storage on import."""

    cohort = models.ForeignKey(
        "courses.Cohort", verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="images"
    )
    original_path = models.CharField(
        _("original path"), max_length=500, help_text=_("As written in the notes, e.g. ./img/x.png")
    )
    file = models.FileField(_("file"), upload_to="notes/%Y/")
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notes image")
        verbose_name_plural = _("notes images")
        constraints = [models.UniqueConstraint(fields=["cohort", "original_path"], name="one_image_per_path")]

    def __str__(self):
        return f"{self.cohort} · {self.original_path}"

    def get_absolute_url(self):
        return reverse("notes-image", kwargs={"pk": self.pk})


def normalize_image_path(path: str) -> str:
    """``./img/x.png`` and ``img/x.png`` name the same file."""
    path = path.strip()
    while path.startswith("./"):
        path = path[2:]
    return path


def image_src_for(cohort_id) -> Callable[[str], str]:
    """A rewriter for rendered ``<img src>``: stored images go to their serving URL.

    The cohort's images are looked up on the first image rendered, so text
    without images (most questions) costs no query.
    """
    known: dict[str, str] | None = None

    def rewrite(src: str) -> str:
        nonlocal known
        if known is None:
            images = NotesImage.objects.filter(cohort_id=cohort_id) if cohort_id else []
            known = {normalize_image_path(image.original_path): image.get_absolute_url() for image in images}
        return known.get(normalize_image_path(src), src)

    return rewrite
