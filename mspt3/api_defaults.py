"""The API's defaults, named in settings.REST_FRAMEWORK: every view gets them unless it
says otherwise. Kept apart from mspt3.api_support, which imports DRF's views (DRF loads
these while its views module is still being imported)."""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import AnonRateThrottle


class ApiPagination(PageNumberPagination):
    """settings.REST_FRAMEWORK's PAGE_SIZE by default; clients may ask for up to 1000."""

    page_size_query_param = "page_size"
    max_page_size = 1000


class AnonymousClientThrottle(AnonRateThrottle):
    """Per-address limit for anonymous clients; the rate is read per request
    from settings.API_ANON_THROTTLE_RATE so deployments (and tests) can change it."""

    def get_rate(self):
        rate = settings.API_ANON_THROTTLE_RATE
        return None if rate.strip().lower() in ("", "off", "0") else rate


class ReadOrAuthenticated(BasePermission):
    """Anyone may read (what they may see is the policy's business); writing needs a login.

    Which cohort a signed-in user may change is decided per object by courses.policy.
    """

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or bool(request.user and request.user.is_authenticated)
