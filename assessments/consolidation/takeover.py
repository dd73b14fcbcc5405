"""When the lead institution's answer can become the consolidated answer, and why not.

Pure: it reads only the responses it is given (each with its `role` annotated, lead or
contributor, and its institution), so the indicator page, the list's bulk action, its
confirmation and the services all ask the same question the same way.

A lead answer can be taken over when it has content (an answer, not "nothing to add", not an
unconfirmed carried-forward draft), was submitted and accepted, and no other institution's
submitted answer on the indicator gives a different answer. A different answer contests it
whatever its review state: an answer still under review may yet be accepted, and the
consolidated answer must not be decided before the facilitator has compared the two.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from assessments.models import Assignment, Response
from indicators.models import Indicator

NO_LEAD = "no_lead"
LEAD_UNANSWERED = "lead_unanswered"
LEAD_NOT_ACCEPTED = "lead_not_accepted"
CONTESTED = "contested"


def has_content(response: Response) -> bool:
    """A submitted answer with content: what can be compared and taken over."""
    return (
        bool(response.answer)
        and not response.nothing_to_add
        and response.confirmed
        and response.state == Response.State.SUBMITTED
    )


def _answer_label(response: Response) -> str:
    return str(Indicator.Answer(response.answer).label)


@dataclass
class TakeOverCheck:
    """The lead answer of one indicator, and what stands in the way of taking it over."""

    lead: Response | None
    problem: str = ""
    contesting: list[Response] = field(default_factory=list)
    # Other accepted answers giving the same answer: the consolidated answer draws on them too.
    agreeing: list[Response] = field(default_factory=list)

    @property
    def possible(self) -> bool:
        return not self.problem

    @property
    def message(self) -> str:
        """Why the take-over is not offered, in the active language ("" when it is)."""
        lead = self.lead
        if self.problem == NO_LEAD or lead is None:
            return _("No lead institution is assigned to this indicator in the survey matrix.")
        acronym = lead.institution.acronym
        if self.problem == LEAD_UNANSWERED:
            return _(
                "%(institution)s, the lead institution, has not submitted an answer on this "
                "indicator."
            ) % {"institution": acronym}
        if self.problem == LEAD_NOT_ACCEPTED:
            return _(
                "The answer of %(institution)s, the lead institution, is not accepted yet "
                "(%(state)s): review it first."
            ) % {"institution": acronym, "state": lead.get_review_state_display()}
        if self.problem == CONTESTED:
            answers = ", ".join(
                f"{r.institution.acronym}: {_answer_label(r)}" for r in [lead, *self.contesting]
            )
            return _(
                "The institutions disagree (%(answers)s): compare their answers and write the "
                "consolidated answer yourself."
            ) % {"answers": answers}
        return ""


def take_over_check(responses: Iterable[Response]) -> TakeOverCheck:
    """Can the lead institution's answer among `responses` (one indicator's) be taken over?"""
    responses = list(responses)
    lead = next((r for r in responses if getattr(r, "role", "") == Assignment.Role.LEAD), None)
    if lead is None:
        return TakeOverCheck(None, NO_LEAD)
    if not has_content(lead):
        return TakeOverCheck(lead, LEAD_UNANSWERED)
    if lead.review_state != Response.ReviewState.ACCEPTED:
        return TakeOverCheck(lead, LEAD_NOT_ACCEPTED)
    others = [r for r in responses if r.pk != lead.pk and has_content(r)]
    contesting = [r for r in others if r.answer != lead.answer]
    if contesting:
        return TakeOverCheck(lead, CONTESTED, contesting=contesting)
    agreeing = [r for r in others if r.review_state == Response.ReviewState.ACCEPTED]
    return TakeOverCheck(lead, agreeing=agreeing)


@dataclass
class TakeOverPlan:
    """What "take over every accepted, uncontested lead answer" would do, indicator by
    indicator; indicators that already have a consolidated answer are left as they are."""

    ready: list[tuple[Indicator, TakeOverCheck]] = field(default_factory=list)
    contested: list[tuple[Indicator, TakeOverCheck]] = field(default_factory=list)
    unusable: list[tuple[Indicator, TakeOverCheck]] = field(default_factory=list)
    consolidated: int = 0

    @property
    def skipped(self) -> int:
        return len(self.contested) + len(self.unusable) + self.consolidated

    def unusable_by_problem(self) -> dict[str, list[str]]:
        """The codes without a usable lead answer, by what is missing."""
        found: dict[str, list[str]] = {}
        for indicator, check in self.unusable:
            found.setdefault(check.problem, []).append(indicator.code)
        return found


def take_over_plan(rows: Sequence[Any]) -> TakeOverPlan:
    """The plan over `rows`: objects with `indicator`, `responses` (role annotated) and
    `consolidated` (None where there is no consolidated answer yet), in indicator order."""
    plan = TakeOverPlan()
    for row in rows:
        if row.consolidated is not None:
            plan.consolidated += 1
            continue
        check = take_over_check(row.responses)
        if check.possible:
            plan.ready.append((row.indicator, check))
        elif check.problem == CONTESTED:
            plan.contested.append((row.indicator, check))
        else:
            plan.unusable.append((row.indicator, check))
    return plan


def codes(items: Iterable[tuple[Indicator, TakeOverCheck]], limit: int = 30) -> str:
    """Indicator codes for a sentence, cut after `limit`."""
    found = [indicator.code for indicator, _check in items]
    return ", ".join(found[:limit]) + ("…" if len(found) > limit else "")
