"""The one way an audit event is written: `audit_record(...)`, called by every service that
a person's write goes through, by the sign-in and admin receivers (signals.py) and by the
mail task when a mail is given up.

The client address is the request's, through ministries.security.client_ip (which honours
MGI_TRUSTED_PROXY_COUNT); a service that has no request at hand gets it from the request
simple_history's middleware keeps for the running thread. Background work has no address.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from simple_history.models import HistoricalRecords

from config.compiled_sql import insert_one
from ministries.security import client_ip

from .models import Action, AuditEvent

__all__ = ["Action", "audit_record", "changed_fields", "current_actor"]


def _current_request() -> HttpRequest | None:
    request = getattr(HistoricalRecords.context, "request", None)
    return request if isinstance(request, HttpRequest) else None


def current_actor() -> Any:
    """The signed-in person of the request being served, if any (for writes made below a
    service that does not take an actor, e.g. a token revoked by a password change)."""
    request = _current_request()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return client_ip(request) or None


def _person(actor: Any) -> Any:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def audit_record(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    assessment: Any = None,
    institution: Any = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    actor_name: str = "",
) -> AuditEvent:
    """Record that `actor` (None: the system) did `action` (an `Action` code) to `obj`.

    `assessment` and `institution` default to the object's own, so the audit page can
    filter by them; `details` holds what changed (before/after) as JSON.
    """
    if action not in Action.values:
        raise ValueError(f"Unknown audit action: {action}")
    person = _person(actor)
    if assessment is None and obj is not None:
        own = obj.pk if obj._meta.label == "assessments.Assessment" else None
        assessment_id = getattr(obj, "assessment_id", own)
    else:
        assessment_id = getattr(assessment, "pk", assessment)
    if institution is None and obj is not None:
        institution_id = getattr(obj, "institution_id", None)
    else:
        institution_id = getattr(institution, "pk", institution)
    event = AuditEvent(
        actor=person,
        actor_name=(person.get_username() if person else actor_name)[:150],
        ip=_ip(request or _current_request()),
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        assessment_id=assessment_id,
        institution_id=institution_id,
        reason=reason,
        details=details or {},
    )
    insert_one(event)  # one prepared statement (every write of a person records one)
    return event


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {"before": …, "after": …}} for the fields whose value differs."""
    return {
        name: {"before": before.get(name), "after": value}
        for name, value in after.items()
        if before.get(name) != value
    }
