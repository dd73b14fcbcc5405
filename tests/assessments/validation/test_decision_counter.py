"""The decision summary of a validation session follows each decision made through htmx
(issue 10, finding 11): the row's response carries the new counts in its HX-Trigger header,
which portal.js writes into the summary."""

import json

import pytest
from django.conf import settings
from django.utils import translation

from indicators.models import Indicator

pytestmark = pytest.mark.django_db


def decide(client, session, code, **data):
    return client.post(
        f"/assessments/{session.assessment_id}/validation/{session.pk}/decide/",
        {"indicator": code, "decision": "confirmed", **data},
        HTTP_HX_REQUEST="true",
    )


def counted(result) -> dict:
    return json.loads(result["HX-Trigger"])["decisions-counted"]


def test_each_htmx_decision_carries_the_new_counts(client, coordinator, validation_session):
    client.force_login(coordinator)
    total = Indicator.objects.filter(
        framework_id=validation_session.assessment.framework_id
    ).count()
    page = client.get(
        f"/assessments/{validation_session.assessment_id}/validation/{validation_session.pk}/"
    ).content.decode()
    assert f"0 confirmed · 0 changed · {total} without a decision" in page
    assert 'id="decision-summary" aria-live="polite"' in page

    first = counted(decide(client, validation_session, "2.3.2"))
    assert first["summary"] == f"1 confirmed · 0 changed · {total - 1} without a decision"
    assert first["undecided"] == total - 1
    assert first["confirm_rest"] == f"Confirm all {total - 1} indicators without a decision"

    changed = decide(
        client,
        validation_session,
        "1.3.1",
        decision="changed",
        answer="partial",
        reason="The 2017 law covers part of it.",
    )
    assert changed.status_code == 200, changed.content.decode()[:300]
    assert counted(changed)["summary"] == (
        f"1 confirmed · 1 changed · {total - 2} without a decision"
    )
    # Deciding the same indicator again does not count it twice.
    again = counted(decide(client, validation_session, "2.3.2"))
    assert again["undecided"] == total - 2

    refused = decide(client, validation_session, "2.3.2", decision="changed", answer="no")
    assert refused.status_code == 422 and "HX-Trigger" not in refused
    script = (settings.BASE_DIR / "static/js/portal.js").read_text()
    assert '"decisions-counted"' in script and "decision-summary" in script


def test_the_counts_are_worded_in_the_readers_language(client, coordinator, validation_session):
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    coordinator.language = "id"
    coordinator.save(update_fields=["language"])
    detail = counted(decide(client, validation_session, "2.3.2"))
    with translation.override("id"):
        expected = translation.ngettext("%(counter)s confirmed", "%(counter)s confirmed", 1) % {
            "counter": 1
        }
    assert detail["summary"].startswith(expected)
    assert "dikonfirmasi" in detail["summary"]
