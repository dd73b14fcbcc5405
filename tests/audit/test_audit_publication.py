"""The writes added with the publication, the launch, the register and the action plan are
in the audit trail: who did what to which record of which assessment."""

import pytest

from assessments.register import services as register_services
from audit.models import Action, AuditEvent
from reports import launch, publication
from reports.actionplan import services as plan_services

from ..reports.staff.test_launch import provincial_profile  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def _last(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-pk").first()
    assert event is not None, f"no {action} event"
    return event


def test_section_and_figure_edits_are_audited(draft_profile, facilitator):
    section = draft_profile.sections.get(key="acknowledgements")
    publication.section_update(
        section=section, actor=facilitator, text_en="Thanks to all.", text_id="Terima kasih."
    )
    event = _last(Action.SECTION_UPDATED)
    assert (event.actor, event.assessment_id) == (facilitator, draft_profile.assessment_id)
    assert event.details["section"] == "acknowledgements"

    publication.context_figure_save(
        profile=draft_profile,
        actor=facilitator,
        label_en="Migrant workers placed abroad",
        label_id="Pekerja migran yang ditempatkan",
        value="1",
        source="Demonstration value",
        year=2023,
    )
    event = _last(Action.CONTEXT_FIGURES_CHANGED)
    assert event.actor == facilitator and event.details == {"change": "saved"}


def test_the_launch_handover_and_take_back_are_audited(provincial_profile, coordinator):  # noqa: F811
    assessment = provincial_profile.assessment
    launch.launch_hand_over(assessment=assessment, actor=coordinator)
    assert _last(Action.LAUNCH_HANDED_OVER).assessment_id == assessment.pk
    launch.launch_take_back(assessment=assessment, actor=coordinator)
    event = _last(Action.LAUNCH_TAKEN_BACK)
    assert (event.actor, event.assessment_id) == (coordinator, assessment.pk)


def test_action_plan_writes_are_audited(action_item, coordinator, focal_a):
    event = _last(Action.ACTION_ITEM_SAVED)
    assert (event.actor, event.object_id, event.institution_id) == (
        coordinator,
        str(action_item.pk),
        action_item.lead_id,
    )
    plan_services.update_post(
        item=action_item, actor=focal_a, kind="progress", text="Draft ready.", language="en"
    )
    event = _last(Action.ACTION_UPDATE_POSTED)
    assert (event.actor, event.details["kind"]) == (focal_a, "progress")
    plan_services.plan_publish(plan=action_item.plan, actor=coordinator)
    assert _last(Action.ACTION_PLAN_PUBLISHED).actor == coordinator


def test_register_writes_are_audited(administrator, typed_citation, legal_instrument):
    saved = register_services.instrument_save(
        actor=administrator,
        kind="pp",
        number="99",
        year=2031,
        title_id="Peraturan uji",
        title_en="Test regulation",
    )
    event = _last(Action.INSTRUMENT_SAVED)
    assert (event.actor, event.object_id, event.details) == (
        administrator,
        str(saved.pk),
        {"created": True},
    )
    register_services.citation_resolve(
        evidence=typed_citation, instrument=legal_instrument, actor=administrator
    )
    event = _last(Action.CITATION_LINKED)
    assert event.details == {"instrument": legal_instrument.pk}
    assert event.object_id == str(typed_citation.pk)
