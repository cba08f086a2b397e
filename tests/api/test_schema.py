"""The OpenAPI document and its Swagger UI."""

import re

import pytest
from django.core.management import call_command


def test_schema_validates_with_no_warning(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/questions/{id}/" in out.read_text()


@pytest.fixture
def openapi(anon):
    return anon.get("/api/schema/?format=json").json()


def test_schema_lists_every_endpoint(openapi):
    assert sorted(openapi["paths"]) == [
        "/api/chapters/",
        "/api/chapters/{number}/",
        "/api/cohorts/",
        "/api/cohorts/{slug}/",
        "/api/cohorts/{slug}/notes.md",
        "/api/cohorts/{slug}/progress/",
        "/api/cohorts/{slug}/progress/{number}/",
        "/api/cohorts/{slug}/student-questions/",
        "/api/cohorts/{slug}/that-answers-it/",
        "/api/questions/",
        "/api/questions/similar/",
        "/api/questions/{id}/",
        "/api/student-questions/{id}/",
        "/api/student-questions/{id}/accept/",
        "/api/student-questions/{id}/dismiss/",
        "/api/student-questions/{id}/merge/",
        "/api/student-questions/{id}/undo/",
        "/api/student-questions/{id}/vote/",
    ]


def test_schema_documents_filters_headers_errors_and_auth(openapi):
    questions = openapi["paths"]["/api/questions/"]
    names = {p["name"] for p in questions["get"]["parameters"]}
    assert {"cohort", "section", "chapter", "pending", "search", "ordering", "page", "page_size",
            "If-None-Match"} <= names
    assert "Idempotency-Key" in {p["name"] for p in questions["post"]["parameters"]}
    assert "Idempotency-Key" in questions["post"]["responses"]["422"]["description"]
    patch = openapi["paths"]["/api/questions/{id}/"]["patch"]
    assert "If-Match" in {p["name"] for p in patch["parameters"]}
    assert {"200", "400", "401", "403", "404", "412", "413", "415"} <= set(patch["responses"])
    assert "examples" in questions["post"]["requestBody"]["content"]["application/json"]
    assert set(openapi["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}
    asked = openapi["paths"]["/api/cohorts/{slug}/student-questions/"]
    assert "Idempotency-Key" in {p["name"] for p in asked["post"]["parameters"]}
    assert "If-None-Match" in {p["name"] for p in asked["get"]["parameters"]}
    accept = openapi["paths"]["/api/student-questions/{id}/accept/"]["post"]
    assert "If-Match" in {p["name"] for p in accept["parameters"]}
    assert {"201", "400", "401", "403", "404", "409", "412"} <= set(accept["responses"])
    export = openapi["paths"]["/api/cohorts/{slug}/notes.md"]["get"]["responses"]["200"]
    assert list(export["content"]) == ["text/markdown", "application/zip"]  # the zip: notes with their images


def test_docs_page_loads_everything_from_this_site(anon):
    response = anon.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert any("drf_spectacular_sidecar/swagger-ui-dist" in s for s in sources)
    assert "<script>" not in html  # the initialiser is a separate script (CSP forbids inline ones)
    script = anon.get("/api/docs/?script")
    assert script.status_code == 200 and "/api/schema/" in script.content.decode()
