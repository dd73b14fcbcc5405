"""Starting a round from the answers of an earlier one of the same scope.

Each answer of the earlier round (with its coverage, justification and evidence) is copied
into the new round's draft of the same indicator (by code) and institution, where that draft
is still blank. The copy is unconfirmed (`Response.confirmed=False`) and remembers where it
came from (`carried_from`): it counts as blank for submission, review and progress until a
focal point of the institution saves or confirms it (collection/carried.py).

Evidence belongs to one institution in one assessment, so the items the earlier answers
cite are copied into the new round's library (a file is shared, not duplicated: evidence
files are never deleted).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessments.collection.selectors import answered_q
from assessments.errors import ServiceError
from assessments.history_reasons import CARRIED_FORWARD, reason_code
from assessments.models import Assessment, Evidence, Response
from audit.services import Action, audit_record
from ministries.models import User

OPEN_STATUSES = (Assessment.Status.SETUP, Assessment.Status.DATA_COLLECTION)
COPIED_FIELDS = ("answer", "coverage", "justification")
EVIDENCE_COPY_FIELDS = (
    "institution_id",
    "kind",
    "instrument_type",
    "number",
    "year",
    "title",
    "article",
    "url",
    "original_name",
    "content_type",
    "size",
)


def carry_forward_sources(assessment: Assessment) -> QuerySet[Assessment]:
    """The earlier rounds an assessment can start from: same scope (and province), an
    earlier year, or the same year and an earlier round; latest first."""
    earlier = Q(year__lt=assessment.year) | Q(year=assessment.year, round__lt=assessment.round)
    return (
        Assessment.objects.filter(earlier, scope=assessment.scope, province=assessment.province)
        .exclude(pk=assessment.pk)
        .order_by("-year", "-round", "-pk")
    )


@dataclass
class CarryPlan:
    """What carrying forward would write: (new draft, earlier answer) pairs."""

    pairs: list[tuple[Response, Response]] = field(default_factory=list)

    @property
    def by_institution(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for target, _source in self.pairs:
            acronym = target.institution.acronym
            counts[acronym] = counts.get(acronym, 0) + 1
        return dict(sorted(counts.items()))


def carry_forward_plan(
    assessment: Assessment, source: Assessment, *, lock: bool = False
) -> CarryPlan:
    """The blank drafts of `assessment` that `source` has an answer for; two queries."""
    with_evidence = Response.evidence.through.objects.filter(
        response__assessment=assessment
    ).values("response_id")
    targets = (
        Response.objects.filter(
            assessment=assessment,
            state=Response.State.DRAFT,
            answer="",
            coverage="",
            justification="",
            nothing_to_add=False,
        )
        .exclude(pk__in=with_evidence)
        .select_related("indicator", "institution")
        .order_by("pk")
    )
    if lock:
        targets = targets.select_for_update(of=("self",))
    earlier = {
        (r.indicator.code, r.institution_id): r
        for r in Response.objects.filter(answered_q(), assessment=source).select_related(
            "indicator"
        )
    }
    plan = CarryPlan()
    for target in targets:
        match = earlier.get((target.indicator.code, target.institution_id))
        if match is not None:
            plan.pairs.append((target, match))
    return plan


def check_carry_forward(assessment: Assessment, source: Assessment) -> None:
    if assessment.status not in OPEN_STATUSES:
        raise ServiceError(
            _("Answers can be carried forward only during setup and data collection.")
        )
    if not carry_forward_sources(assessment).filter(pk=source.pk).exists():
        raise ServiceError(_("Choose an earlier assessment of the same scope."))


@transaction.atomic
def assessment_carry_forward(*, assessment: Assessment, source: Assessment, actor: User) -> int:
    """Copy `source`'s answers into `assessment`'s blank drafts, unconfirmed; how many."""
    locked = Assessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
    check_carry_forward(locked, source)
    plan = carry_forward_plan(locked, source, lock=True)
    if not plan.pairs:
        return 0
    through = Response.evidence.through
    links = list(
        through.objects.filter(response_id__in=[s.pk for _t, s in plan.pairs]).values_list(
            "response_id", "evidence_id"
        )
    )
    copies = _copy_evidence(locked, {e for _r, e in links}, actor)
    now_at = timezone.now()
    targets = []
    for target, earlier in plan.pairs:
        for name in COPIED_FIELDS:
            setattr(target, name, getattr(earlier, name))
        target.confirmed = False
        target.carried_from = earlier
        target.version += 1
        target.updated_at = now_at
        targets.append(target)
    Response.objects.bulk_update(
        targets, [*COPIED_FIELDS, "confirmed", "carried_from", "version", "updated_at"]
    )
    target_of = {earlier.pk: target.pk for target, earlier in plan.pairs}
    through.objects.bulk_create(
        [through(response_id=target_of[r], evidence_id=copies[e]) for r, e in links]
    )
    records = Response.history.bulk_history_create(
        targets,
        update=True,
        default_user=actor,
        default_change_reason=reason_code(CARRIED_FORWARD, year=source.year, round=source.round),
        default_date=now_at,
    )
    _record_links(records, [t.pk for t in targets])
    audit_record(
        action=Action.ANSWERS_CARRIED_FORWARD,
        actor=actor,
        obj=locked,
        details={"source": source.pk, "responses": [t.pk for t in targets]},
    )
    return len(targets)


def _record_links(records: list, response_ids: list[int]) -> None:
    """Each history row keeps a copy of its answer's evidence links, as a save records them."""
    through = Response.evidence.through
    links: dict[int, list[tuple[int, int]]] = {}
    for link_id, response_id, evidence_id in through.objects.filter(
        response_id__in=response_ids
    ).values_list("id", "response_id", "evidence_id"):
        links.setdefault(response_id, []).append((link_id, evidence_id))
    HistoricalLink = Response.history.model._meta.get_field(
        "historicalresponse_evidence"
    ).related_model
    HistoricalLink.objects.bulk_create(
        [
            HistoricalLink(
                id=link_id, history_id=record.history_id, response_id=record.id, evidence_id=e
            )
            for record in records
            for link_id, e in links.get(record.id, [])
        ]
    )


def _copy_evidence(assessment: Assessment, ids: set[int], actor: User) -> dict[int, int]:
    """Copies of the evidence items `ids` in `assessment`'s library: {old id: new id}."""
    originals = list(Evidence.objects.filter(pk__in=ids).order_by("pk"))
    copies = [
        Evidence(
            assessment=assessment,
            created_by=actor,
            # The same stored file (its name), not a second upload.
            file=item.file.name,
            **{name: getattr(item, name) for name in EVIDENCE_COPY_FIELDS},
        )
        for item in originals
    ]
    created = bulk_create_with_history(copies, Evidence, default_user=actor)
    return {old.pk: new.pk for old, new in zip(originals, created, strict=True)}
