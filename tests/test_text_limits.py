"""Every free-text field has a maximum length, enforced with a message naming the field, and
the API's limits are in its OpenAPI schema (`maxLength`), so generated clients know them."""

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from assessments.errors import InvalidRequest
from assessments.models import Assessment
from assessments.setup import services as setup_services
from config import text as text_rules
from reports import services as report_services

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _strings_without_limit(
    node: dict[str, Any], where: str, components: dict[str, Any], seen: set[str]
) -> list[str]:
    """The writable free-text string properties under `node` that have no maxLength."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        node = components[name]
    found = []
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in node.get(key, []):
            found += _strings_without_limit(sub, where, components, seen)
    for name, sub in node.get("properties", {}).items():
        found += _strings_without_limit(sub, f"{where}.{name}", components, seen)
    if node.get("type") == "array":
        found += _strings_without_limit(node.get("items", {}), f"{where}[]", components, seen)
    free_text = "enum" not in node and "format" not in node and not node.get("readOnly")
    if node.get("type") == "string" and free_text and "maxLength" not in node:
        found.append(where)
    return found


def test_every_free_text_field_of_a_request_has_its_max_length_in_the_schema(schema):
    components = schema["components"]["schemas"]
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                where = f"{method.upper()} {path}"
                missing += _strings_without_limit(content["schema"], where, components, set())
    assert not missing, missing


@pytest.mark.parametrize(
    ("component", "field", "limit"),
    [
        ("PatchedResponseUpdateRequest", "justification", text_rules.JUSTIFICATION),
        ("CommentRequest", "body", text_rules.COMMENT),
        ("ReviewRequest", "comment", text_rules.COMMENT),
        ("ConsolidationWriteRequest", "narrative_en", text_rules.NARRATIVE),
        ("DecisionWriteRequest", "reason", text_rules.REASON),
        ("TransitionRequestRequest", "note", text_rules.NOTE),
    ],
)
def test_the_schema_states_the_limits_the_portal_enforces(schema, component, field, limit):
    components = schema["components"]["schemas"]
    assert components[component]["properties"][field]["maxLength"] == limit


def test_an_over_long_comment_is_refused_naming_the_field(focal_a, response_a):
    api = APIClient()
    api.force_authenticate(focal_a)
    answer = api.post(
        f"/api/v1/responses/{response_a.pk}/comments/",
        {"body": "x" * (text_rules.COMMENT + 1)},
        format="json",
    )
    assert answer.status_code == 400
    message = answer.json()["body"][0]
    assert message.startswith("comment: the text has 5001 characters; at most 5000")
    assert not response_a.comments.exists()


def test_an_over_long_reason_for_a_move_is_refused_naming_the_field(
    coordinator, cross_check_assessment
):
    with pytest.raises(InvalidRequest, match="note: the text has 2001 characters"):
        setup_services.assessment_transition(
            assessment=cross_check_assessment,
            actor=coordinator,
            to=Assessment.Status.DATA_COLLECTION,
            note="x" * (text_rules.NOTE + 1),
        )


def test_a_finding_and_a_correction_note_have_their_limits(coordinator, draft_profile):
    finding = draft_profile.findings.first()
    with pytest.raises(InvalidRequest, match=r"text \(Indonesian\): the text has 10001"):
        report_services.finding_update(
            finding=finding, actor=coordinator, text_en="Fine.", text_id="x" * 10_001
        )
    finding.refresh_from_db()
    assert finding.text_id != "x" * 10_001


def test_a_correction_note_too_long_makes_no_version(coordinator, published_profile):
    assessment = published_profile.assessment
    with pytest.raises(InvalidRequest, match="the text has 2001 characters"):
        report_services.profile_create(
            assessment=assessment, actor=coordinator, correction_note="x" * 2001
        )
    assert assessment.profiles.count() == 1
