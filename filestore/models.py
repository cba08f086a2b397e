"""Files kept in the database, for sites with more than one web replica.

Uploaded and imported images are small (a lecture screenshot: a few hundred KB,
at most 10 MB by mspt3.uploads) and few, every page that shows one already
queries the database, and keeping them there means one backup holds everything
and no replica needs a shared disk (ReadWriteMany volumes are not available on
every cluster). See filestore/storage.py.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    name = models.CharField(
        _("name"), max_length=255, unique=True, help_text=_("The storage name, e.g. notes/2026/<random>.png")
    )
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self):
        return self.name
