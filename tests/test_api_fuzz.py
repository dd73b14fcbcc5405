"""Property-based API fuzzing (schemathesis) against every operation of the OpenAPI schema.

In process, through the WSGI application, on the test database with the national
assessment fixture, once per persona (anonymous, a focal point, a facilitator, a
coordinator, signed in with a knox token): no server error, only documented statuses,
bodies and content types. Deterministic and short: ten derandomised examples an
operation, no deadline. Logout and token revocation are left out (they would sign the
fuzzer out); so is the token login (throttled per address by design, tested in
tests/ministries). Each (operation, persona) is its own test item, so xdist spreads them.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

from ministries.tokens import token_create

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "focal_a", "facilitator", "coordinator")
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.content_type_conformance,
]

_whole = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
_whole.app = WSGIHandler()
schema = _whole.exclude(path_regex=r"/auth/(logout|logout-all|token|tokens/\{token_key\})/$")


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: the WSGI handler must not close the connection that
    holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(request, national_assessment, focal_a, facilitator, coordinator):
    name = request.param
    if name == "anonymous":
        return {}
    user = request.getfixturevalue(name)
    return {"Authorization": f"Token {token_create(user=user)[1]}"}


@pytest.mark.parametrize("auth_headers", PERSONAS, indirect=True)
@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_operation_answers_as_its_schema_says(case, auth_headers):
    case.call_and_validate(headers=auth_headers, checks=CHECKS)
