"""`{% public_action_items profile as items %}`: the published plan's public items for the
public profile page (one query; none shown before the coordinator publishes the plan)."""

from typing import Any

from django import template

from reports.actionplan.selectors import public_items_of_assessment

register = template.Library()


@register.simple_tag
def public_action_items(profile: Any) -> list[Any]:
    return list(public_items_of_assessment(profile.assessment_id).select_related("lead"))
