"""How people named on content (a question's author, who struck a chapter through)
are shown, by who is looking.

Login names are for staff only. Members of the content's cohort see the person's
display name — their full name (first and last name, as set in the admin) — or
nothing if they have none; everyone else (anonymous visitors, signed-in visitors
of a public cohort they do not belong to) sees no person at all. Exports are not
affected: the notes never name anyone.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from courses.models import Membership


class PersonNames:
    """Names as one viewer may see them; the viewer's memberships are read once."""

    def __init__(self, viewer):
        self.viewer = viewer
        self._member_of = None

    def __call__(self, person, cohort_id) -> str | None:
        viewer = self.viewer
        if person is None or viewer is None or not viewer.is_authenticated:
            return None
        if viewer.is_staff:
            return person.get_username()
        if self._member_of is None:
            self._member_of = set(Membership.objects.filter(user=viewer).values_list("cohort_id", flat=True))
        return (person.get_full_name() or None) if cohort_id in self._member_of else None


def person_names(request) -> PersonNames:
    """The PersonNames of this request's user, made once per request."""
    names = getattr(request, "_person_names", None)
    if names is None:
        names = request._person_names = PersonNames(getattr(request, "user", None))
    return names


@extend_schema_field({"type": "string", "nullable": True, "readOnly": True})
class PersonField(serializers.Field):
    """A person on a row, as the request's user may see them (see the module's rules).

    ``cohort_source``: the dotted path from the row to its cohort's id.
    """

    def __init__(self, *, cohort_source, **kwargs):
        kwargs.update(read_only=True, allow_null=True)
        kwargs.setdefault(
            "help_text",
            "Login name for staff; the person's full name for members of the cohort (null if they have "
            "none); null for everyone else.",
        )
        super().__init__(**kwargs)
        self.cohort_path = cohort_source.split(".")

    def get_attribute(self, instance):
        cohort_id = instance
        for name in self.cohort_path:
            cohort_id = getattr(cohort_id, name)
        return super().get_attribute(instance), cohort_id

    def to_representation(self, value):
        person, cohort_id = value
        request = self.context.get("request")
        return person_names(request)(person, cohort_id) if request is not None else None
