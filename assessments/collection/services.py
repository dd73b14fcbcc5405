"""Writes of data collection: answers, evidence and submission."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import notifications
from assessments.collection.selectors import missing_lead_answers
from assessments.errors import ChangeRefused, ServiceError, StaleResponse
from assessments.history_reasons import SUBMITTED, evidence_added, reason_code
from assessments.models import Assessment, Evidence, Response, Submission
from config.files import clean_filename
from indicators.models import Indicator
from ministries.models import Institution, User

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


EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


# The types evidence may be, as detected (never as named); each is stored under the
# extension config/files.py's EXTENSIONS gives it.
EVIDENCE_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
    }
)


def detect_file_type(head: bytes) -> str:
    import magic

    return magic.from_buffer(head, mime=True)


def _attach_file(evidence: Evidence, file: Any) -> str:
    """Check an uploaded file and set it on the evidence (with its detected type, its size
    and, for want of a title, its name); what is wrong with it in words, or ""."""
    if file is None:
        return _("Choose a file.")
    if not evidence.title:
        evidence.title = getattr(file, "name", "")[:500]
    if file.size > EVIDENCE_MAX_BYTES:
        return _("The file is larger than 20 MB.")
    head = file.read(8192)
    file.seek(0)
    content_type = detect_file_type(head)
    if content_type == "application/zip" or content_type == "application/octet-stream":
        # Office files are zip or OLE containers: look deeper than the first bytes.
        content_type = detect_file_type(file.read())
        file.seek(0)
    if content_type not in EVIDENCE_TYPES:
        return _(
            "Files must be PDF, Word, Excel, OpenDocument text or images; this file is “%(type)s”."
        ) % {"type": content_type}
    evidence.content_type = content_type
    evidence.size = file.size
    # Stored under a random name with the detected type's extension (Evidence.file).
    evidence.original_name = clean_filename(getattr(file, "name", ""))
    evidence.file = file
    return ""


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
        problem = _attach_file(evidence, file)
        if problem:
            errors["file"] = problem
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
        reason=evidence_added(evidence),
    )


@transaction.atomic
def response_attach_evidence(
    *,
    response: Response,
    actor: User,
    version: int | None,
    evidence: Evidence | None = None,
    **values: Any,
) -> Response:
    """Attach an item of the institution's evidence library, or create one from `values`
    (kind, title, file, …) and attach it: both in one transaction, nothing half-done.

    Without `version` (the API allows it) attaching only adds, so the current version is
    taken under a row lock.
    """
    if evidence is None:
        evidence = evidence_create(
            assessment=response.assessment, institution=response.institution, actor=actor, **values
        )
    if version is None:
        version = Response.objects.select_for_update().get(pk=response.pk).version
    return response_add_evidence(response=response, actor=actor, version=version, evidence=evidence)


@transaction.atomic
def submission_create(
    *, assessment: Assessment, institution: Institution, actor: User
) -> Submission:

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
        response._change_reason = reason_code(SUBMITTED)  # type: ignore[attr-defined]
        response._history_user = actor  # type: ignore[attr-defined]
        response.save(update_fields=["state", "review_state", "updated_at"])
        count += 1
    submission = Submission.objects.create(
        assessment=locked, institution=institution, submitted_by=actor, response_count=count
    )

    notifications.matrix_submitted(submission)
    return submission
