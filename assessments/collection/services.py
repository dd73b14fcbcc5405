"""Writes of data collection: answers, evidence and submission."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import notifications
from assessments.collection import citations, save_audit
from assessments.collection import evidence_rules as rules
from assessments.collection.claims import (
    SAVED_FIELDS,
    ResponseChange,
    apply_change,
    claim_batches,
    claim_one,
    historical_link_model,
    history_rows,
    refuse_stale,
    write_evidence_links,
)
from assessments.collection.selectors import has_content_q, missing_lead_answers
from assessments.errors import ChangeRefused, ServiceError
from assessments.frozen import check_not_frozen
from assessments.history_reasons import SUBMITTED, evidence_added, reason_code
from assessments.models import (
    Assessment,
    Assignment,
    Evidence,
    Response,
    Submission,
    response_open_to_institution,
)
from audit.services import Action, audit_record
from config import text as text_rules
from config import uploads
from config.files import clean_filename
from config.text import text_problem
from indicators.models import Indicator, LegalInstrument
from ministries.models import Institution, User

RESPONSE_FIELDS = ("answer", "coverage", "justification", "nothing_to_add")
TRUE_VALUES = (True, "1", "true", "on", "yes")


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
        problem = text_problem(cleaned["justification"], text_rules.JUSTIFICATION)
        if problem:
            errors["justification"] = rules.named_response_field("justification", problem)
    if "nothing_to_add" in values:
        _clean_nothing_to_add(response, values["nothing_to_add"] in TRUE_VALUES, cleaned, errors)
    elif cleaned.get("answer"):
        cleaned["nothing_to_add"] = False  # giving an answer takes back "nothing to add"
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_nothing_to_add(
    response: Response, nothing: bool, cleaned: dict[str, Any], errors: dict[str, str]
) -> None:
    """ "Nothing to add" is a contributor's: it means no answer, so it clears answer and
    coverage; an answer given with it is refused, as is a lead institution saying it."""
    cleaned["nothing_to_add"] = nothing
    if not nothing:
        return
    if cleaned.get("answer"):
        errors["nothing_to_add"] = _("Give an answer or say you have nothing to add, not both.")
    elif Assignment.objects.filter(
        assessment_id=response.assessment_id,
        indicator_id=response.indicator_id,
        institution_id=response.institution_id,
        role=Assignment.Role.LEAD,
    ).exists():
        errors["nothing_to_add"] = _(
            "Your institution leads this indicator: it must answer it, not say it has "
            "nothing to add."
        )
    cleaned["answer"] = cleaned["coverage"] = ""


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
            check_not_frozen(assessment)
            if not response.is_editable:
                raise ServiceError(
                    _("This answer has been submitted and can no longer be changed.")
                )
            if not response_open_to_institution(
                assessment.status, response.state, response.review_state
            ):
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

    refuse_stale(changes)
    now_at = timezone.now()
    before = {c.response.pk: save_audit.saved_values(c.response) for c in changes}
    for change in changes:
        apply_change(change, actor=actor, now_at=now_at, reason=reason)
    if len(changes) == 1:
        claim_one(changes[0])
    else:
        claim_batches(changes)

    # The evidence lists given are written; their links are known without reading them.
    links = write_evidence_links([c for c in changes if c.evidence is not None])

    # One history row per answer, with the evidence it now has (what a save records).
    if len(changes) > 1:  # one answer was written by its claim
        Response.objects.bulk_update(responses, SAVED_FIELDS)
    records = history_rows(responses, actor=actor, reason=reason, at=now_at)
    # Each history row keeps a copy of the answer's evidence links (as a save records them).
    unread = [r.pk for r in responses if r.pk not in links]
    if unread:
        for link_id, response_id, evidence_id in Response.evidence.through.objects.filter(
            response_id__in=unread
        ).values_list("id", "response_id", "evidence_id"):
            links.setdefault(response_id, []).append((link_id, evidence_id))
    HistoricalLink = historical_link_model()
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
    save_audit.audit_saves(changes, before, actor=actor, reason=reason)
    return responses


def _attach_file(evidence: Evidence, file: Any) -> str:
    """Check an uploaded file and set it on the evidence (with its detected type, its size
    and, for want of a title, its name); what is wrong with it in words, or "".
    What is accepted, and how it is told, is config/uploads.py's."""
    if file is None:
        return rules.file_missing_message()
    name = clean_filename(getattr(file, "name", ""))
    if not evidence.title:
        evidence.title = name[: getattr(Evidence._meta.get_field("title"), "max_length", None)]
    if file.size > settings.EVIDENCE_MAX_BYTES:
        return rules.file_size_message(settings.EVIDENCE_MAX_BYTES)
    content_type, problem = uploads.inspect_upload(file)
    if problem == uploads.BOMB:
        return rules.file_bomb_message(name)
    if problem == uploads.DAMAGED:
        return rules.file_damaged_message(name)
    if problem:
        return rules.file_type_message(name)
    evidence.content_type = content_type
    evidence.size = file.size
    # Stored under a random name with the detected type's extension (Evidence.file).
    evidence.original_name = name
    evidence.file = file
    return ""


def check_response_files_size(response: Response, adding: int) -> None:
    """Refuse a file that would take the files attached to one answer past
    EVIDENCE_MAX_RESPONSE_BYTES."""
    if not adding:
        return
    used = sum(e.size or 0 for e in response.evidence.all() if e.kind == Evidence.Kind.FILE)
    limit = settings.EVIDENCE_MAX_RESPONSE_BYTES
    if used + adding > limit:
        raise ValidationError({"file": rules.response_size_message(limit, used)})


@transaction.atomic
def evidence_create(
    *,
    assessment: Assessment,
    institution: Institution,
    actor: User,
    kind: str,
    title: str = "",
    instrument_type: str = "",
    number: str = "",
    year: int | None = None,
    article: str = "",
    url: str = "",
    file: Any = None,
    instrument: LegalInstrument | None = None,
    check_frozen: bool = True,
) -> Evidence:
    """A new item of the institution's evidence library. Only the fields of its kind are
    kept (evidence_rules.KIND_FIELDS); every problem is reported by field, all at once.
    A citation of an `instrument` of the register takes its type, number, year and title
    from it (citations.fields_from_instrument). `check_frozen=False`: the action plan's
    progress evidence, added after publication (reports/actionplan/services.update_post)."""
    if check_frozen:
        check_not_frozen(assessment)
    fields = rules.KIND_FIELDS.get(kind)
    if fields is None:
        raise ValidationError({"kind": rules.kind_message()})
    instrument = instrument if "instrument" in fields else None
    if instrument is not None:
        picked = citations.fields_from_instrument(instrument)
        instrument_type, number, year = picked["instrument_type"], picked["number"], picked["year"]
        title = picked["title"]
    given = dict(instrument_type=instrument_type, number=number, title=title, article=article)
    given["url"] = url
    values = {k: (v or "").strip() if k in fields else "" for k, v in given.items()}
    evidence = Evidence(
        assessment=assessment,
        institution=institution,
        kind=kind,
        year=year if "year" in fields else None,
        instrument=instrument,
        created_by=actor,
        **values,
    )
    errors: dict[str, str] = {}
    for name, value in values.items():
        problem = text_problem(
            value, getattr(Evidence._meta.get_field(name), "max_length", None) or 1000
        )
        if problem:
            errors[name] = rules.named(name, problem)
    required = rules.KIND_REQUIRED[kind]
    if "instrument_type" in required and not evidence.instrument_type:
        errors["instrument_type"] = rules.instrument_message()
    if "url" in required and not evidence.url:
        errors["url"] = rules.url_message()
    if (
        year is not None
        and "year" in fields
        and not rules.YEAR_RANGE[0] <= year <= rules.YEAR_RANGE[1]
    ):
        errors["year"] = rules.year_message()
    if kind == Evidence.Kind.FILE:
        problem = _attach_file(evidence, file)
        if problem:
            errors["file"] = problem
    if not evidence.title:
        errors["title"] = rules.title_message()
    try:
        evidence.full_clean(exclude=["file", "created_by", "assessment", "institution"])
    except ValidationError as exc:
        special = {"url": rules.url_message(), "year": rules.year_message()}
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, special.get(name) or rules.named(name, " ".join(messages)))
    if errors:
        raise ValidationError(errors)
    evidence._history_user = actor  # type: ignore[attr-defined]
    evidence.save()
    audit_record(
        action=Action.EVIDENCE_ADDED,
        actor=actor,
        obj=evidence,
        details={"kind": evidence.kind, "title": evidence.title, "size": evidence.size},
    )
    return evidence


@transaction.atomic
def response_add_evidence(
    *, response: Response, actor: User, version: int, evidence: Evidence
) -> Response:
    current = list(response.evidence.all())
    if evidence not in current:
        check_response_files_size(response, evidence.size or 0)
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
        file = values.get("file")
        check_response_files_size(response, int(getattr(file, "size", 0) or 0))
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
    """Send the institution's answers with content to review: an answer given and
    confirmed, or "nothing to add". Blank drafts and carried-forward drafts nobody has
    confirmed stay drafts; every indicator the institution leads must be answered."""
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
        has_content_q(),
        assessment=locked,
        institution=institution,
        state__in=[Response.State.DRAFT, Response.State.RETURNED],
    )
    if not editable.exists():
        raise ServiceError(
            _(
                "Your institution has nothing to submit: answer an indicator, or say you have "
                "nothing to add on it, first."
            )
        )
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
    audit_record(
        action=Action.ANSWERS_SUBMITTED,
        actor=actor,
        obj=submission,
        details={"answers": count},
    )

    notifications.matrix_submitted(submission)
    return submission
