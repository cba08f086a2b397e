"""A Django storage backend that keeps file contents in the database (StoredFile).

Selected with DJANGO_MEDIA_STORAGE=database (settings.STORAGES). Names are chosen
by mspt3.uploads (random) and checked by Storage.get_available_name, so a save
never overwrites; the unique name is the last guard against two replicas racing.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.utils.deconstruct import deconstructible
from django.utils.encoding import filepath_to_uri

from filestore.models import StoredFile


@deconstructible
class DatabaseStorage(Storage):
    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("database-stored files are written with save(), not opened for writing")
        try:
            content = StoredFile.objects.values_list("content", flat=True).get(name=name)
        except StoredFile.DoesNotExist:
            raise FileNotFoundError(name) from None
        stored = ContentFile(bytes(content), name=name)
        stored.mode = mode
        return stored

    def _save(self, name, content):
        content.seek(0)
        data = content.read()
        data = data.encode() if isinstance(data, str) else data
        StoredFile.objects.create(name=name, content=data, size=len(data))
        return name

    def exists(self, name):
        return StoredFile.objects.filter(name=name).exists()

    def delete(self, name):
        StoredFile.objects.filter(name=name).delete()

    def size(self, name):
        try:
            return StoredFile.objects.values_list("size", flat=True).get(name=name)
        except StoredFile.DoesNotExist:
            raise FileNotFoundError(name) from None

    def url(self, name):
        return settings.MEDIA_URL + filepath_to_uri(name)

    def get_created_time(self, name):
        try:
            return StoredFile.objects.values_list("created_at", flat=True).get(name=name)
        except StoredFile.DoesNotExist:
            raise FileNotFoundError(name) from None

    get_modified_time = get_created_time

    def listdir(self, path):
        prefix = path.strip("/") + "/" if path.strip("/") else ""
        directories, files = set(), []
        for name in StoredFile.objects.filter(name__startswith=prefix).values_list("name", flat=True):
            head, _, tail = name[len(prefix) :].partition("/")
            (directories.add(head) if tail else files.append(head))
        return sorted(directories), sorted(files)
