"""Writes to assessments: setup, the survey matrix, answers, evidence and submission."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from indicators.models import FrameworkVersion, Indicator
from ministries.models import Institution, Province, User

from ..models import Assessment, Assignment, Evidence, Response, Submission
from .errors import ChangeRefused, ServiceError, StaleConsolidation, StaleResponse
from .workflow import (
    TRANSITIONS,
    Transition,
    allowed_transitions,
    assessment_transition,
    transition_problems,
)

# --- assessments --------------------------------------------------------------------------


@transaction.atomic
def assessment_create(
    *,
    actor: User | None,
    framework: FrameworkVersion,
    year: int,
    title_en: str,
    title_id: str,
    province: Province | None = None,
    round: int = 1,
    previous: Assessment | None = None,
    data_collection_deadline: datetime.date | None = None,
    is_demo: bool = False,
) -> Assessment:
    expected_level = FrameworkVersion.Level.LOCAL if province else FrameworkVersion.Level.NATIONAL
    if framework.level != expected_level:
        raise ServiceError(
            _("A %(scope)s assessment needs a %(level)s framework.")
            % {
                "scope": _("provincial") if province else _("national"),
                "level": FrameworkVersion.Level(expected_level).label,
            }
        )
    assessment = Assessment(
        framework=framework,
        scope=Assessment.Scope.PROVINCIAL if province else Assessment.Scope.NATIONAL,
        province=province,
        year=year,
        round=round,
        title_en=title_en,
        title_id=title_id,
        previous=previous,
        data_collection_deadline=data_collection_deadline,
        is_demo=is_demo,
        created_by=actor,
    )
    try:
        assessment.full_clean()
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages)) from exc
    assessment.save()
    return assessment


@transaction.atomic
def assessment_set_participants(
    *, assessment: Assessment, actor: User, institutions: Iterable[Institution]
) -> None:
    assessment.participants.set(list(institutions))


@transaction.atomic
def assessment_set_facilitators(
    *, assessment: Assessment, actor: User, facilitators: Iterable[User]
) -> None:
    assessment.facilitators.set([u for u in facilitators if u.is_facilitator])


# --- the survey matrix --------------------------------------------------------------------


def check_matrix_editable(assessment: Assessment) -> None:
    if assessment.status not in (Assessment.Status.SETUP, Assessment.Status.DATA_COLLECTION):
        raise ServiceError(_("The survey matrix can only change during setup and data collection."))


def _check_institution(assessment: Assessment, institution: Institution) -> None:
    if assessment.scope == Assessment.Scope.NATIONAL:
        ok = institution.level == Institution.Level.NATIONAL
    else:
        ok = institution.province_id == assessment.province_id
    if not ok:
        raise ServiceError(
            _("%(institution)s cannot answer this assessment.")
            % {"institution": institution.acronym}
        )


@dataclass
class MatrixChange:
    created: int = 0
    changed: int = 0
    removed: int = 0


@transaction.atomic
def matrix_apply(
    *,
    assessment: Assessment,
    actor: User,
    cells: dict[tuple[int, int], str],
    replace: bool = False,
) -> MatrixChange:
    """Set cells of the matrix: {(indicator_id, institution_id): "lead" | "contributor" | ""}.

    With `replace`, every cell not named is emptied. A cell whose response already holds an
    answer cannot be emptied. Assigning creates the response the institution must fill.
    Writes are in bulk: a whole coordinator workbook is a handful of queries, not thousands.
    """
    check_matrix_editable(assessment)
    locked = Assessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
    existing = {
        (a.indicator_id, a.institution_id): a for a in Assignment.objects.filter(assessment=locked)
    }
    wanted = dict(cells)
    if replace:
        for key in existing:
            wanted.setdefault(key, "")
    unknown_roles = {
        role for role in wanted.values() if role and role not in Assignment.Role.values
    }
    if unknown_roles:
        raise ServiceError(_("Unknown role “%(role)s”.") % {"role": sorted(unknown_roles)[0]})
    institution_ids = {k[1] for k, role in wanted.items() if role and k not in existing}
    for inst in Institution.objects.filter(pk__in=institution_ids):
        _check_institution(locked, inst)
    change = MatrixChange()

    to_remove = [k for k, role in wanted.items() if not role and k in existing]
    if to_remove:
        answered = {
            (r.indicator_id, r.institution_id): r
            for r in Response.objects.filter(assessment=locked)
            .exclude(answer="")
            .select_related("indicator", "institution")
        }
        blocked = [answered[k] for k in to_remove if k in answered]
        if blocked:
            r = blocked[0]
            raise ServiceError(
                _(
                    "%(institution)s has already answered %(code)s; that assignment cannot be removed."
                )
                % {"institution": r.institution.acronym, "code": r.indicator.code}
            )
        Assignment.objects.filter(pk__in=[existing[k].pk for k in to_remove]).delete()
        removal = Q()
        for indicator_id, institution_id in to_remove:
            removal |= Q(indicator_id=indicator_id, institution_id=institution_id)
        Response.objects.filter(removal, assessment=locked, answer="").delete()
        change.removed = len(to_remove)

    changed = []
    for key, role in wanted.items():
        current = existing.get(key)
        if role and current is not None and current.role != role:
            current.role = role
            changed.append(current)
    # Demotions first, so that a lead can move between institutions within one call.
    changed.sort(key=lambda a: a.role != Assignment.Role.CONTRIBUTOR)
    for assignment in changed:
        assignment.save(update_fields=["role"])
    change.changed = len(changed)

    new = [(key, role) for key, role in wanted.items() if role and key not in existing]
    if new:
        Assignment.objects.bulk_create(
            [
                Assignment(assessment=locked, indicator_id=k[0], institution_id=k[1], role=role)
                for k, role in new
            ]
        )
        have = set(
            Response.objects.filter(assessment=locked).values_list("indicator_id", "institution_id")
        )
        bulk_create_with_history(
            [
                Response(assessment=locked, indicator_id=k[0], institution_id=k[1])
                for k, _role in new
                if k not in have
            ],
            Response,
            default_user=actor,
            default_change_reason=_("Assigned in the survey matrix"),
        )
        change.created = len(new)
    _check_one_lead(locked)
    return change


def _check_one_lead(assessment: Assessment) -> None:
    from django.db.models import Count

    doubled = (
        Assignment.objects.filter(assessment=assessment, role=Assignment.Role.LEAD)
        .values("indicator__code")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    codes = [d["indicator__code"] for d in doubled]
    if codes:
        raise ServiceError(
            _("Each indicator has one lead institution; these have more: %(codes)s.")
            % {"codes": ", ".join(codes)}
        )


# --- answers ------------------------------------------------------------------------------

RESPONSE_FIELDS = ("answer", "coverage", "justification")


def clean_response_values(response: Response, values: dict[str, Any]) -> dict[str, Any]:
    """Check answer and coverage against the indicator's scheme; return what will be written."""
    indicator = response.indicator
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if "answer" in values:
        answer = values["answer"] or ""
        allowed = {value for value, _label in indicator.answer_choices()}
        if answer and answer not in allowed:
            errors["answer"] = (
                _("“Not applicable” is not an answer for this indicator.")
                if answer == Indicator.Answer.NOT_APPLICABLE
                else _("Choose Yes, Partially or No.")
            )
        cleaned["answer"] = answer
    if "coverage" in values:
        coverage = values["coverage"] or ""
        if coverage and not indicator.has_coverage:
            errors["coverage"] = _("This indicator has no coverage qualifier.")
        elif coverage and coverage not in Indicator.Coverage.values:
            errors["coverage"] = _("Choose all migrants or regular migrants only.")
        cleaned["coverage"] = coverage
    if "justification" in values:
        cleaned["justification"] = (values["justification"] or "").strip()
    if errors:
        raise ValidationError(errors)
    return cleaned


def response_update(
    *,
    response: Response,
    actor: User,
    version: int,
    evidence: Iterable[Evidence] | None = None,
    reason: str = "",
    **values: Any,
) -> Response:
    """Save an answer if `version` is still current; otherwise raise StaleResponse.

    One change through `responses_update_bulk`, so that a save in the browser or the API
    and an Excel import follow the same rules and leave the same history. The claim is a
    conditional UPDATE (… WHERE id = %s AND version = %s): of two saves of the same version
    exactly one wins, on PostgreSQL and SQLite alike.
    """
    change = ResponseChange(
        response, version, values, list(evidence) if evidence is not None else None
    )
    try:
        responses_update_bulk(changes=[change], actor=actor, reason=reason)
    except ChangeRefused as refused:
        raise refused.error from None
    return response


@dataclass
class ResponseChange:
    """One answer to write in `responses_update_bulk`: the response (its indicator loaded),
    the version it was read at, the values and, if given, its whole new evidence list."""

    response: Response
    version: int
    values: dict[str, Any]
    evidence: list[Evidence] | None = None


CLAIM_BATCH = 200


@transaction.atomic
def responses_update_bulk(
    *, changes: list[ResponseChange], actor: User, reason: str = ""
) -> list[Response]:
    """`response_update` for many answers at once (an Excel import), all or nothing.

    The same rules, the same version claim (a conditional UPDATE on id and version, in
    batches) and one history row per answer with its evidence, in a fixed number of
    statements per batch instead of five or six per answer. A refused change raises
    ChangeRefused with its index; the transaction then writes nothing.
    """
    if not changes:
        return []
    responses = [c.response for c in changes]
    assessment = responses[0].assessment
    for index, change in enumerate(changes):
        response = change.response
        try:
            if response.assessment_id != assessment.pk:
                raise ServiceError(_("These answers belong to different assessments."))
            if not response.is_editable:
                raise ServiceError(
                    _("This answer has been submitted and can no longer be changed.")
                )
            if not assessment.is_collecting:
                raise ServiceError(_("The assessment is not collecting answers."))
            change.values = clean_response_values(response, change.values)
            if change.evidence is not None and any(
                e.assessment_id != response.assessment_id
                or e.institution_id != response.institution_id
                for e in change.evidence
            ):
                raise ValidationError(
                    {"evidence": _("Evidence must belong to your institution in this assessment.")}
                )
        except (ServiceError, ValidationError) as exc:
            raise ChangeRefused(index, exc) from exc

    for start in range(0, len(changes), CLAIM_BATCH):
        batch = changes[start : start + CLAIM_BATCH]
        # Lock the rows and compare versions (PostgreSQL), then claim them with a conditional
        # UPDATE, which also catches a write that slipped in where rows are not locked (SQLite).
        pks = [c.response.pk for c in batch]
        versions = dict(
            Response.objects.select_for_update()
            .filter(pk__in=pks)
            .order_by()
            .values_list("pk", "version")
        )
        stale = next((i for i, c in enumerate(batch) if versions[pks[i]] != c.version), None)
        if stale is None:
            claim = Q()
            for change in batch:
                claim |= Q(pk=change.response.pk, version=change.version)
            if Response.objects.filter(claim).update(version=F("version") + 1) != len(batch):
                stale = 0
        if stale is not None:
            current = Response.objects.select_related("updated_by").get(pk=pks[stale])
            raise ChangeRefused(start + stale, StaleResponse(current))

    now_at = timezone.now()
    for change in changes:
        response = change.response
        for name, value in change.values.items():
            setattr(response, name, value)
        if change.values.get("answer") == Indicator.Answer.NOT_APPLICABLE:
            response.coverage = ""
        response.version = change.version + 1
        response.updated_by = actor
        response.updated_at = now_at
        # Read by the history rows; an instance may carry those of an earlier save.
        response._change_reason = reason  # type: ignore[attr-defined]
        response._history_user = actor  # type: ignore[attr-defined]

    through = Response.evidence.through
    with_evidence = [c for c in changes if c.evidence is not None]
    if with_evidence:
        wanted = {(c.response.pk, e.pk) for c in with_evidence for e in c.evidence or []}
        existing = set(
            through.objects.filter(
                response_id__in=[c.response.pk for c in with_evidence]
            ).values_list("response_id", "evidence_id")
        )
        gone = existing - wanted
        if gone:
            drop = Q()
            for response_id, evidence_id in gone:
                drop |= Q(response_id=response_id, evidence_id=evidence_id)
            through.objects.filter(drop).delete()
        through.objects.bulk_create(
            [through(response_id=r, evidence_id=e) for r, e in sorted(wanted - existing)]
        )

    # One history row per answer, with the evidence it now has (what a save records).
    Response.objects.bulk_update(
        responses, ["answer", "coverage", "justification", "version", "updated_by", "updated_at"]
    )
    records = Response.history.bulk_history_create(
        responses,
        update=True,
        default_user=actor,
        default_change_reason=reason,
        default_date=now_at,
    )
    # Each history row keeps a copy of the answer's evidence links (as a save records them).
    links: dict[int, list[tuple[int, int]]] = {}
    for link_id, response_id, evidence_id in through.objects.filter(
        response_id__in=[r.pk for r in responses]
    ).values_list("id", "response_id", "evidence_id"):
        links.setdefault(response_id, []).append((link_id, evidence_id))
    HistoricalLink = Response.history.model._meta.get_field(
        "historicalresponse_evidence"
    ).related_model
    HistoricalLink.objects.bulk_create(
        [
            HistoricalLink(
                id=link_id,
                history_id=record.history_id,
                response_id=record.id,
                evidence_id=evidence_id,
            )
            for record in records
            for link_id, evidence_id in links.get(record.id, [])
        ]
    )
    return responses


# --- evidence -----------------------------------------------------------------------------

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_TYPES = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}


def detect_file_type(head: bytes) -> str:
    import magic

    return magic.from_buffer(head, mime=True)


@transaction.atomic
def evidence_create(
    *,
    assessment: Assessment,
    institution: Institution,
    actor: User,
    kind: str,
    title: str,
    instrument_type: str = "",
    number: str = "",
    year: int | None = None,
    article: str = "",
    url: str = "",
    file: Any = None,
) -> Evidence:
    evidence = Evidence(
        assessment=assessment,
        institution=institution,
        kind=kind,
        title=(title or "").strip(),
        instrument_type=instrument_type or "",
        number=(number or "").strip(),
        year=year,
        article=(article or "").strip(),
        url=(url or "").strip(),
        created_by=actor,
    )
    errors: dict[str, str] = {}
    if kind == Evidence.Kind.CITATION and not instrument_type:
        errors["instrument_type"] = _("Choose the type of instrument.")
    if kind == Evidence.Kind.LINK and not evidence.url:
        errors["url"] = _("Give the link.")
    if kind == Evidence.Kind.FILE:
        if file is None:
            errors["file"] = _("Choose a file.")
        else:
            if file.size > EVIDENCE_MAX_BYTES:
                errors["file"] = _("The file is larger than 20 MB.")
            else:
                head = file.read(8192)
                file.seek(0)
                content_type = detect_file_type(head)
                if content_type == "application/zip" or content_type == "application/octet-stream":
                    # Office files are zip or OLE containers: look deeper than the first bytes.
                    content_type = detect_file_type(file.read())
                    file.seek(0)
                if content_type not in EVIDENCE_TYPES:
                    errors["file"] = _(
                        "Files must be PDF, Word, Excel, OpenDocument text or images; this file is “%(type)s”."
                    ) % {"type": content_type}
                else:
                    evidence.content_type = content_type
                    evidence.size = file.size
                    evidence.file = file
            if not evidence.title and file is not None:
                evidence.title = getattr(file, "name", "")[:500]
    if not evidence.title:
        errors["title"] = _("Give a title.")
    try:
        evidence.full_clean(exclude=["file", "created_by", "assessment", "institution"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, " ".join(messages))
    if errors:
        raise ValidationError(errors)
    evidence._history_user = actor  # type: ignore[attr-defined]
    evidence.save()
    return evidence


@transaction.atomic
def response_add_evidence(
    *, response: Response, actor: User, version: int, evidence: Evidence
) -> Response:
    current = list(response.evidence.all())
    if evidence not in current:
        current.append(evidence)
    return response_update(
        response=response,
        actor=actor,
        version=version,
        evidence=current,
        reason=_("Evidence added: %(label)s") % {"label": evidence.label},
    )


# --- submission ---------------------------------------------------------------------------


@transaction.atomic
def submission_create(
    *, assessment: Assessment, institution: Institution, actor: User
) -> Submission:
    from ..selectors import missing_lead_answers

    locked = Assessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
    if not locked.is_collecting:
        raise ServiceError(_("The assessment is not collecting answers."))
    missing = list(missing_lead_answers(locked, institution.pk))
    if missing:
        raise ServiceError(
            _(
                "Answer every indicator your institution leads before submitting. Still missing: %(codes)s."
            )
            % {"codes": ", ".join(r.indicator.code for r in missing)}
        )
    editable = Response.objects.filter(
        assessment=locked,
        institution=institution,
        state__in=[Response.State.DRAFT, Response.State.RETURNED],
    )
    if not editable.exists():
        raise ServiceError(_("Your institution has nothing left to submit."))
    count = 0
    for response in editable.select_for_update(of=("self",)):
        if response.state == Response.State.RETURNED:
            response.review_state = Response.ReviewState.RESUBMITTED
        response.state = Response.State.SUBMITTED
        response._change_reason = _("Submitted")  # type: ignore[attr-defined]
        response._history_user = actor  # type: ignore[attr-defined]
        response.save(update_fields=["state", "review_state", "updated_at"])
        count += 1
    submission = Submission.objects.create(
        assessment=locked, institution=institution, submitted_by=actor, response_count=count
    )
    from .. import notifications

    notifications.matrix_submitted(submission)
    return submission


from .consolidation import (  # noqa: E402 - these modules import the helpers above
    consolidated_save,
    consolidated_take_over_lead,
)
from .review import comment_add, response_resubmit, response_review  # noqa: E402
from .snapshots import snapshot_create, snapshot_data  # noqa: E402
from .validation import (  # noqa: E402
    validation_confirm_rest,
    validation_decide,
    validation_session_save,
)

__all__ = [
    "RESPONSE_FIELDS",
    "TRANSITIONS",
    "ChangeRefused",
    "MatrixChange",
    "ResponseChange",
    "ServiceError",
    "StaleConsolidation",
    "StaleResponse",
    "Transition",
    "allowed_transitions",
    "assessment_create",
    "assessment_set_facilitators",
    "assessment_set_participants",
    "assessment_transition",
    "check_matrix_editable",
    "clean_response_values",
    "comment_add",
    "consolidated_save",
    "consolidated_take_over_lead",
    "evidence_create",
    "matrix_apply",
    "response_add_evidence",
    "response_resubmit",
    "response_review",
    "response_update",
    "responses_update_bulk",
    "snapshot_create",
    "snapshot_data",
    "submission_create",
    "transition_problems",
    "validation_confirm_rest",
    "validation_decide",
    "validation_session_save",
]
