"""Reads of the register room: the register as listed, and the citations to resolve."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from assessments import permissions
from assessments.frozen import FROZEN_STATUSES
from assessments.models import Evidence, Response
from indicators import instruments
from indicators.bilingual import active_language
from indicators.models import LegalInstrument
from ministries.models import User


@dataclass
class RegisterRow:
    instrument: LegalInstrument
    reference: str
    citation: str
    official: str  # the citation in Indonesian, the official form
    amends: str = ""


def register_rows(*, query: str = "", kind: str = "") -> list[RegisterRow]:
    """The register, filtered by words of the title or number and by kind, each instrument
    cited in the reader's language and in Indonesian: one query."""
    qs = instruments.register().select_related("amends").order_by("kind", "-year", "number")
    if kind:
        qs = qs.filter(kind=kind)
    for word in query.split()[:8]:
        qs = qs.filter(
            Q(title_id__icontains=word) | Q(title_en__icontains=word) | Q(number__iexact=word)
        )
    language = active_language()
    return [
        RegisterRow(
            instrument=i,
            reference=instruments.reference(i),
            citation=instruments.cite(i, language=language),
            official=instruments.cite(i, language="id"),
            amends=instruments.reference(i.amends) if i.amends else "",
        )
        for i in instruments.in_hierarchy(qs)
    ]


@dataclass
class CitationsToResolve:
    items: list[Evidence]
    frozen: int  # citations of approved or published assessments: they stay as published
    choices: list[tuple[str, str]] = field(default_factory=list)


def citations_to_resolve(user: User) -> CitationsToResolve:
    """The citations `user` may link, oldest first, with the indicators citing them, and the
    register for the autocomplete: four queries."""
    visible: QuerySet[Evidence] = permissions.citations_to_resolve_visible_to(user)
    items = list(
        visible.exclude(assessment__status__in=FROZEN_STATUSES)
        .select_related("assessment", "institution")
        .prefetch_related(
            Prefetch("responses", queryset=Response.objects.select_related("indicator"))
        )
        .order_by("assessment_id", "institution__acronym", "pk")
    )
    frozen = visible.filter(assessment__status__in=FROZEN_STATUSES).count()
    return CitationsToResolve(items=items, frozen=frozen, choices=register_choices())


def register_choices() -> list[tuple[str, Any]]:
    """(short form, citation in the reader's language) for a <datalist> of the register."""
    return instruments.register_choices(active_language())
