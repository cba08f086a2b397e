"""What every API view shares: the pagination, throttle and permission that
settings.REST_FRAMEWORK names as defaults, body limits, conditional responses and the
OpenAPI pieces (headers, error shapes) the endpoints reuse."""

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.response import Response

from mspt3.conditional import IdempotencyKeyReused, is_not_modified, request_fingerprint


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


class PreconditionFailed(exceptions.APIException):
    """A stale If-Match. Carries what is stored now, so the client can merge and retry."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object changed since you loaded it (If-Match is stale). Nothing was changed."
    default_code = "precondition_failed"

    def __init__(self, current: dict, etag: str):
        super().__init__()
        self.current = current
        self.etag = etag

    def response(self) -> Response:
        return Response(
            {"detail": str(self.detail), "current": self.current}, status=self.status_code, headers={"ETag": self.etag}
        )


class KeyReusedError(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


def body_fingerprint(request) -> str:
    """The fingerprint of an API request's parsed body (JSON, form or multipart alike)."""
    data = request.data
    if hasattr(data, "lists"):
        data = {name: values for name, values in data.lists()}
    return request_fingerprint("api", request.path, data)


class ApiViewMixin:
    """What the API's own views add to the defaults of settings.REST_FRAMEWORK (auth,
    permission, pagination, throttle): the body limit, 412/422 errors, private caching."""

    def max_body_bytes(self) -> int:
        return settings.API_MAX_BODY_BYTES

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.max_body_bytes():
            raise RequestTooLarge(f"The request body may be at most {self.max_body_bytes()} bytes.")

    def handle_exception(self, exc):
        if isinstance(exc, IdempotencyKeyReused):
            exc = KeyReusedError(str(exc))
        if isinstance(exc, PreconditionFailed):
            return exc.response()
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # What a client may see depends on who asks: never let a shared cache
        # answer for someone else, and revalidate (cheaply, via ETag) every time.
        patch_vary_headers(response, ["Authorization", "Cookie"])
        patch_cache_control(response, private=True, no_cache=True)
        return response


def not_modified(etag: str) -> Response:
    return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})


def conditional(request, etag: str, build):
    """304 if the client holds ``etag``, else ``build()`` with the ETag attached."""
    if is_not_modified(request, etag):
        return not_modified(etag)
    response = build()
    response["ETag"] = etag
    return response


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
def api_not_found(request, path=""):
    """Unknown paths under /api/ answer in JSON like the rest of the API."""
    hint = "" if request.path.endswith("/") else f" API paths end with a slash: {request.path}/"
    raise exceptions.NotFound("No such API endpoint." + hint)


# ---------------------------------------------------------------- OpenAPI pieces

ERROR = inline_serializer("Error", {"detail": serializers.CharField()})

VALIDATION_ERROR = OpenApiResponse(
    response={
        "type": "object",
        "description": "Field name → messages; `non_field_errors` for the body as a whole; "
        "`detail` when the body could not be parsed at all.",
        "properties": {"detail": {"type": "string"}},
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    description="Invalid input: field-level messages. Nothing was changed.",
    examples=[
        OpenApiExample(
            "Unknown cohort and empty question",
            value={"cohort": ["No cohort with this slug."], "question": ["This field may not be blank."]},
            response_only=True,
            status_codes=["400"],
        )
    ],
)


def error_response(description: str, example: str, code: int) -> OpenApiResponse:
    return OpenApiResponse(
        response=ERROR,
        description=description,
        examples=[OpenApiExample(f"Error {code}", value={"detail": example}, response_only=True, status_codes=[code])],
    )


NOT_FOUND = error_response(
    "Not found, or not visible to you (a private cohort is never hinted at).", "No Cohort matches the given query.", 404
)
FORBIDDEN = error_response(
    "Visible to you but not writable: only the cohort's instructors and staff may change it.",
    "Only this cohort's instructors may change it.",
    403,
)
UNAUTHENTICATED = error_response(
    "Writing needs a login (session) or a token (`Authorization: Token …`).",
    "Authentication credentials were not provided.",
    401,
)
THROTTLED = error_response(
    "Too many anonymous requests from this address; retry after `Retry-After` seconds.",
    "Request was throttled. Expected available in 12 seconds.",
    429,
)
KEY_REUSED = error_response(
    "This Idempotency-Key was already used by you for a different request (another body or cohort): "
    "nothing was created. A key names one request; send a new key for a new question.",
    str(IdempotencyKeyReused()),
    422,
)
TOO_LARGE = error_response("The request body is too large.", "The request body may be at most 1048576 bytes.", 413)
UNSUPPORTED_MEDIA = error_response(
    "The body's Content-Type is not accepted here.", 'Unsupported media type "text/plain" in request.', 415
)


def precondition_failed_response(current_serializer) -> OpenApiResponse:
    """412 for a stale If-Match; ``current`` is the object as stored now, with its ETag."""
    name = current_serializer.__name__.removesuffix("Serializer")
    return OpenApiResponse(
        response=inline_serializer(
            f"PreconditionFailed{name}",
            {"detail": serializers.CharField(), "current": current_serializer()},
        ),
        description="If-Match named an older version: nothing was changed. `current` is what is stored now "
        "(its ETag is in the ETag header); merge and retry with that tag.",
    )


NOT_MODIFIED = OpenApiResponse(description="Not modified: your copy (If-None-Match) is current. No body.")

READ_ERRORS = {304: NOT_MODIFIED, 404: NOT_FOUND, 429: THROTTLED}
WRITE_ERRORS = {
    400: VALIDATION_ERROR,
    401: UNAUTHENTICATED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    413: TOO_LARGE,
    415: UNSUPPORTED_MEDIA,
}
# A write without a body (delete, vote, undo) cannot be invalid, too large or of the wrong type.
BODILESS_WRITE_ERRORS = {code: WRITE_ERRORS[code] for code in (401, 403, 404)}

COHORT_SLUG = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The cohort's slug (may be Korean)."
)
ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201, 304],
    description="Entity tag of the returned object or list; send it back in If-None-Match or If-Match.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="An ETag from an earlier response: if it is still current the answer is 304 with no body.",
    examples=[OpenApiExample("Earlier tag", value='"q12-r3"')],
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag you edited: if the object changed since, the answer is 412 and nothing changes. "
    "Without it the write is unconditional.",
    examples=[OpenApiExample("Tag you loaded", value='"q12-r3"')],
)
