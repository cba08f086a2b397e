"""A new API view that names nothing but its methods gets the safe defaults of
settings.REST_FRAMEWORK: token then session auth, read-or-authenticated, the API's
pagination and the anonymous throttle. It is never open to the world."""

import pytest
from rest_framework import generics, serializers
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from courses.models import Cohort
from mspt3.api_defaults import AnonymousClientThrottle, ApiPagination, ReadOrAuthenticated

pytestmark = pytest.mark.django_db


class BareView(APIView):
    """What someone adds who forgets every mixin."""

    def get(self, request):
        return Response({"read": True})

    def post(self, request):
        return Response({"written": True})


class CohortTitles(serializers.ModelSerializer):
    class Meta:
        model = Cohort
        fields = ["title"]


class BareList(generics.ListAPIView):
    queryset = Cohort.objects.order_by("pk")
    serializer_class = CohortTitles


def test_a_bare_view_refuses_anonymous_writes_with_a_token_challenge():
    response = BareView.as_view()(APIRequestFactory().post("/api/x/", {}, format="json"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_bare_view_lets_anyone_read_and_a_token_holder_write(instructor):
    factory = APIRequestFactory()
    assert BareView.as_view()(factory.get("/api/x/")).status_code == 200
    token = Token.objects.create(user=instructor)
    written = BareView.as_view()(factory.post("/api/x/", {}, format="json", HTTP_AUTHORIZATION=f"Token {token.key}"))
    assert written.status_code == 200


def test_a_bare_view_has_the_apis_permission_throttle_and_pagination():
    view = BareList()
    assert [type(p) for p in view.get_permissions()] == [ReadOrAuthenticated]
    assert [type(t) for t in view.get_throttles()] == [AnonymousClientThrottle]
    assert view.pagination_class is ApiPagination


def test_a_bare_list_is_paginated_with_the_apis_page_size(settings):
    from tests.factories import make_cohort

    for _ in range(3):
        make_cohort()
    response = BareList.as_view()(APIRequestFactory().get("/api/x/", {"page_size": 2}))
    assert response.status_code == 200
    assert response.data["count"] == 3 and len(response.data["results"]) == 2
