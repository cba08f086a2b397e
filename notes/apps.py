from django.apps import AppConfig


class NotesConfig(AppConfig):
    """The notes file: parser, import, export, images of imports, their commands, view and API.
    It has no models of its own; it reads and writes those of courses, curriculum and qa."""

    name = "notes"
