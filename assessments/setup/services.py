"""Writes of the setup stage: assessments, participants, facilitators, the survey matrix
and the workflow moves."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from assessments import notifications
from assessments.errors import InvalidRequest, ServiceError
from assessments.history_reasons import MATRIX_ASSIGNED, reason_code
from assessments.models import Assessment, AssessmentStatusChange, Assignment, Response
from assessments.setup import removal
from assessments.setup.bulk_rows import insert_many, insert_many_with_history
from assessments.setup.selectors import Cells, workflow_facts
from assessments.validation.services import snapshot_create
from assessments.workflow import TRANSITIONS, transition_problems
from audit.services import Action, audit_record
from config import text as text_rules
from config.text import text_problem
from indicators.models import FrameworkVersion
from ministries.models import Institution, Province, User


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
    if actor is not None and not is_demo:
        audit_record(action=Action.ASSESSMENT_CREATED, actor=actor, obj=assessment)
    return assessment


@transaction.atomic
def assessment_set_participants(
    *, assessment: Assessment, actor: User, institutions: Iterable[Institution]
) -> None:
    before = sorted(assessment.participants.values_list("acronym", flat=True))
    assessment.participants.set(list(institutions))
    after = sorted(assessment.participants.values_list("acronym", flat=True))
    if before != after:
        audit_record(
            action=Action.PARTICIPANTS_SET,
            actor=actor,
            obj=assessment,
            details={"before": before, "after": after},
        )


@transaction.atomic
def assessment_set_facilitators(
    *, assessment: Assessment, actor: User, facilitators: Iterable[User]
) -> None:
    before = sorted(assessment.facilitators.values_list("username", flat=True))
    assessment.facilitators.set([u for u in facilitators if u.is_facilitator])
    after = sorted(assessment.facilitators.values_list("username", flat=True))
    if before != after:
        audit_record(
            action=Action.FACILITATORS_SET,
            actor=actor,
            obj=assessment,
            details={"before": before, "after": after},
        )


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
    cells: Cells,
    replace: bool = False,
    removal_reason: str = "",
    audit_action: str = Action.MATRIX_EDITED,
    audit_details: dict[str, Any] | None = None,
) -> MatrixChange:
    """Set cells of the matrix: {(indicator_id, institution_id): "lead" | "contributor" | ""}.

    With `replace`, every cell not named is emptied. Emptying a cell whose response holds
    any content is refused (removal.RemovalRefused, naming each) unless `removal_reason`
    is given: then the content is kept in history with that reason (removal.py). Assigning
    creates the response the institution must fill. Writes are in bulk: a whole
    coordinator workbook is a handful of queries, not thousands. One audit event records
    the change (`audit_action`, with the changed cells in its details).
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
    _check_cells(locked, wanted, existing)
    change = MatrixChange()
    to_remove = [k for k, role in wanted.items() if not role and k in existing]
    before = {k: existing[k].role for k in wanted if k in existing}
    change.removed = _matrix_remove(locked, existing, to_remove, actor, removal_reason)
    change.changed = _matrix_set_roles(existing, wanted)
    change.created = _matrix_add(
        locked, actor, [(k, role) for k, role in wanted.items() if role and k not in existing]
    )
    _check_one_lead(locked)
    cells_changed = removal.cell_changes(before, wanted)
    if cells_changed or audit_action != Action.MATRIX_EDITED:
        audit_record(
            action=audit_action,
            actor=actor,
            obj=locked,
            reason=removal_reason.strip(),
            details={
                **(audit_details or {}),
                "created": change.created,
                "changed": change.changed,
                "removed": change.removed,
                "cells": cells_changed,
            },
        )
    return change


def _check_cells(assessment: Assessment, wanted: Cells, existing: dict[Any, Assignment]) -> None:
    """Known roles only, and newly assigned institutions must be able to answer."""
    unknown_roles = {
        role for role in wanted.values() if role and role not in Assignment.Role.values
    }
    if unknown_roles:
        raise ServiceError(_("Unknown role “%(role)s”.") % {"role": sorted(unknown_roles)[0]})
    institution_ids = {k[1] for k, role in wanted.items() if role and k not in existing}
    for inst in Institution.objects.filter(pk__in=institution_ids):
        _check_institution(assessment, inst)


def _matrix_remove(
    assessment: Assessment,
    existing: dict[Any, Assignment],
    to_remove: list[tuple[int, int]],
    actor: User,
    reason: str,
) -> int:
    """Empty cells, with their responses. A response holding content is removed only with
    a reason (removal.responses_remove keeps it in history and the audit trail)."""
    if not to_remove:
        return 0
    held = removal.responses_with_content(assessment, to_remove)
    if held and not reason.strip():
        raise removal.RemovalRefused(held)
    removal.responses_remove(responses=held, actor=actor, reason=reason.strip())
    Assignment.objects.filter(pk__in=[existing[k].pk for k in to_remove]).delete()
    cells = Q()
    for indicator_id, institution_id in to_remove:
        cells |= Q(indicator_id=indicator_id, institution_id=institution_id)
    Response.objects.filter(cells, assessment=assessment).delete()
    return len(to_remove)


def _matrix_set_roles(existing: dict[Any, Assignment], wanted: Cells) -> int:
    """Change the role of cells that keep an assignment."""
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
    return len(changed)


def _matrix_add(assessment: Assessment, actor: User, new: list[tuple[tuple[int, int], str]]) -> int:
    """Assign empty cells and create the responses the institutions must fill (one statement
    each, bulk_rows.py: a whole national matrix is 2,000 of them)."""
    if not new:
        return 0
    insert_many(
        Assignment(assessment=assessment, role=Assignment.Role.CONTRIBUTOR),
        [(k[0], k[1], role) for k, role in new],
        ["indicator_id", "institution_id", "role"],
    )
    have = set(
        Response.objects.filter(assessment=assessment).values_list("indicator_id", "institution_id")
    )
    insert_many_with_history(
        Response(assessment=assessment),
        [k for k, _role in new if k not in have],
        ["indicator_id", "institution_id"],
        user=actor,
        reason=reason_code(MATRIX_ASSIGNED),
    )
    return len(new)


def _check_one_lead(assessment: Assessment) -> None:
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


def _effect_approve(assessment: Assessment, actor: User) -> None:
    snapshot_create(assessment=assessment, actor=actor)


EFFECTS: dict[tuple[str, str], Callable[[Assessment, User], None]] = {
    (Assessment.Status.VALIDATION, Assessment.Status.APPROVED): _effect_approve,
}


@transaction.atomic
def assessment_transition(
    *, assessment: Assessment, actor: User, to: str, note: str = ""
) -> Assessment:
    """Move the assessment, or raise ServiceError saying why not. Nothing changes on refusal."""
    # Lock the row: two coordinators pressing the same button make one move, not two.
    locked = Assessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
    problems = transition_problems(locked.status, to, workflow_facts(locked, to))
    if problems:
        raise ServiceError(" ".join(problems))
    key = (locked.status, to)
    transition = TRANSITIONS[key]
    if transition.needs_note and not note.strip():
        raise ServiceError(_("Give a reason for reopening."))
    label = getattr(AssessmentStatusChange._meta.get_field("note"), "verbose_name", "")
    problem = text_problem(note, text_rules.NOTE, str(label))
    if problem:
        raise InvalidRequest(problem, field="note")
    # The history keeps what the system says as a code (shown in the reader's language) with
    # the person's words as its parameter.
    stored = reason_code(transition.note_code, reason=note.strip()) if transition.note_code else ""
    change = AssessmentStatusChange.objects.create(
        assessment=locked,
        from_status=locked.status,
        to_status=to,
        note=stored or note.strip(),
        actor=actor,
    )
    audit_record(
        action=Action.WORKFLOW_MOVED,
        actor=actor,
        obj=locked,
        reason=note.strip(),
        details={"status": {"before": locked.status, "after": to}},
    )
    locked.status = to
    locked.save(update_fields=["status"])
    effect = EFFECTS.get(key)
    if effect:
        effect(locked, actor)
    assessment.status = to
    notifications.transition_made(change)
    return locked
