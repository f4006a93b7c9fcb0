"""The OpenAPI schema the app serves is valid OpenAPI and describes every endpoint with its auth."""

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_served_schema_validates(api):
    response = api.get("/openapi.json", None)
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/me/standing",
        "/api/v1/me/results",
        "/api/v1/me/roadmap",
        "/api/v1/me/roadmap/steps/{step_id}",
        "/api/v1/mentor/mentees",
        "/api/v1/mentor/mentees/{learner_id}/standing",
        "/api/v1/mentor/mentees/{learner_id}/roadmap",
    }


def test_every_operation_asks_for_a_bearer_token_and_says_how_it_may_fail(api):
    schema = api.get("/openapi.json", None).json()
    assert schema["components"]["securitySchemes"] == {"BearerToken": {"type": "http", "scheme": "bearer"}}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{"BearerToken": []}], (method, path)
            assert {"200", "401", "403", "404", "429"} <= set(operation["responses"]), (method, path)


def test_there_is_no_docs_page_loading_scripts_from_elsewhere(api):
    assert api.get("/docs", None).status_code == 404
