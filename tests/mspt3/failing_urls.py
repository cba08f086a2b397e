"""The site's URLs plus a page and an API view that fail the way a bug would, for the 500 page."""

from django.urls import path
from rest_framework.views import APIView

from mspt3.urls import handler500
from mspt3.urls import urlpatterns as site_urlpatterns


def broken_page(request):
    raise RuntimeError("a bug in a page")


class BrokenApi(APIView):
    def get(self, request):
        raise RuntimeError("a bug in the API")


urlpatterns = [path("broken/", broken_page), path("api/broken/", BrokenApi.as_view()), *site_urlpatterns]
__all__ = ["handler500", "urlpatterns"]
