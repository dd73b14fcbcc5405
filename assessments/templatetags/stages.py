"""`{% stage_stepper assessment %}`: where the assessment stands in the cycle, as an ordered
list of its stages (setup → data collection → cross-check → validation → approved →
published) with the current one marked `aria-current="step"`."""

from typing import Any

from django import template

from assessments.models import Assessment

register = template.Library()


@register.inclusion_tag("assessments/_stage_stepper.html")
def stage_stepper(assessment: Assessment) -> dict[str, Any]:
    values = list(Assessment.Status.values)
    current = values.index(assessment.status) if assessment.status in values else -1
    steps = [
        {
            "label": label,
            "state": "done" if i < current else "current" if i == current else "upcoming",
        }
        for i, (_value, label) in enumerate(Assessment.Status.choices)
    ]
    return {"steps": steps}
