"""/api/cohorts/<slug>/notes.md: export a cohort's notes (markdown or zip) and import a notes file into it."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.changes import stamp
from courses.policy import get_cohort_for_user
from mspt3.api_support import (
    COHORT_SLUG,
    ETAG_HEADER,
    IF_NONE_MATCH,
    READ_ERRORS,
    WRITE_ERRORS,
    ApiViewMixin,
    RequestTooLarge,
    conditional,
)
from mspt3.conditional import (
    tag_for,
)
from notes.importer import import_notes_text
from notes.parser import NotesError
from notes.upload import max_upload_bytes, notes_from_upload, upload_limit
from notes.views import markdown_response, wants_zip, zip_response


class AlwaysJSONNegotiation(DefaultContentNegotiation):
    """Errors of the notes endpoint are JSON whatever the client accepts; the
    export itself is returned as a plain text/markdown response."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return JSONRenderer(), JSONRenderer.media_type


class NotesUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The notes file (UTF-8 markdown), or a .zip of its folder with its images.")
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Only report what would change; write nothing."
    )
    prefer_file = serializers.BooleanField(
        required=False, default=False,
        help_text="Where the site and the file both changed something since the last import, take the file's "
        "version (default: keep the site's). Each conflict is listed in `conflicts` either way.",
    )


class ImportConflictSerializer(serializers.Serializer):
    cohort = serializers.CharField()
    what = serializers.CharField(help_text="What both changed, e.g. `question 12 answer`, `day 1 schedule`.")
    question = serializers.IntegerField(allow_null=True)
    site = serializers.CharField(help_text="The site's version.")
    file = serializers.CharField(help_text="The file's version.")
    kept = serializers.ChoiceField(choices=["site", "file"])


class ImportReportSerializer(serializers.Serializer):
    slug = serializers.CharField()
    dry_run = serializers.BooleanField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Questions added, updated, …")
    images_missing = serializers.ListField(child=serializers.CharField())
    images_rejected = serializers.ListField(child=serializers.CharField())
    conflicts = ImportConflictSerializer(many=True, help_text="Changed on the site and in the file since the last "
                                         "import; listed in `summary` too.")
    summary = serializers.CharField(help_text="The same summary `manage.py import_notes` prints.")


NOTES_FORMAT = OpenApiParameter(
    "format", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["zip"], required=False,
    description="`zip`: the notes file with its images, as a zip (the same as `Accept: application/zip`).",
)
NOTES_EXAMPLE = "# MSP T3 - 24-1차\n\n## Docker\n\n- 볼륨과 바인드 마운트의 차이는?\n    - 볼륨은 도커가 관리합니다.\n"


@extend_schema_view(
    get=extend_schema(
        summary="Export a cohort's notes",
        description="The cohort as a notes markdown file, rendering on GitHub like the original. Whoever may "
        "see the cohort may export it.",
        parameters=[COHORT_SLUG, IF_NONE_MATCH, ETAG_HEADER, NOTES_FORMAT],
        responses={
            (200, "text/markdown"): OpenApiResponse(
                OpenApiTypes.STR,
                description="The notes file.",
                examples=[OpenApiExample("Notes", value=NOTES_EXAMPLE, response_only=True)],
            ),
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="With `?format=zip` or `Accept: application/zip`: `<slug>.md` and the images it shows "
                "beside it (imported images under their original paths, images uploaded on the site under "
                "`img/<name>`), so the notes render with their images on GitHub.",
            ),
            **READ_ERRORS,
        },
    ),
    post=extend_schema(
        summary="Import a notes file into the cohort",
        description="Instructors of the cohort and staff. Syncs the cohort in place (question ids survive, "
        "edited answers update, nothing is duplicated) and keeps its visibility. A file that cannot be read "
        "as notes is a 400 and nothing changes. Images referenced by the file are not uploaded this way "
        "(`images_missing` lists them).",
        parameters=[COHORT_SLUG],
        request={"multipart/form-data": NotesUploadSerializer},
        responses={200: ImportReportSerializer, **WRITE_ERRORS, 429: READ_ERRORS[429]},
    ),
)
class CohortNotesView(ApiViewMixin, APIView):
    parser_classes = [MultiPartParser, FormParser]
    content_negotiation_class = AlwaysJSONNegotiation
    # multipart framing on top of the notes themselves
    upload_overhead_bytes = 64 * 1024

    def max_body_bytes(self) -> int:
        return max_upload_bytes() + self.upload_overhead_bytes

    def get(self, request, slug):
        cohort = get_cohort_for_user(request.user, slug)
        if wants_zip(request):
            return conditional(request, tag_for("notes-zip", stamp(cohort)),
                               lambda: zip_response(cohort))
        return conditional(request, tag_for("notes", stamp(cohort)),
                           lambda: markdown_response(cohort))

    def post(self, request, slug):
        cohort = get_cohort_for_user(request.user, slug, write=True)
        upload = NotesUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        notes_file = upload.validated_data["file"]
        if notes_file.size > (limit := upload_limit(notes_file)):
            raise RequestTooLarge(f"A notes file may be at most {settings.NOTES_MAX_BYTES} bytes, a .zip of its "
                                  f"folder {max_upload_bytes()} bytes; this one is {notes_file.size} (limit {limit}).")
        try:
            with notes_from_upload(notes_file) as (text, base_dir):
                report = import_notes_text(
                    text, slug=cohort.slug, user=request.user, base_dir=base_dir,
                    dry_run=upload.validated_data["dry_run"], prefer_file=upload.validated_data["prefer_file"],
                )
        except NotesError as error:
            raise ValidationError({"file": [str(error)]}) from None
        return Response(
            {
                "slug": report.slug,
                "dry_run": report.dry_run,
                "counts": report.counts,
                "images_missing": report.images_missing,
                "images_rejected": report.images_rejected,
                "conflicts": [conflict.as_dict() for conflict in report.conflicts],
                "summary": report.summary(),
            }
        )
