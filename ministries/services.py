"""Writes to institutions, provinces and users."""

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from audit.services import Action, audit_record
from indicators.services import ApplyResult, upsert_if_changed

from .models import Institution, Province, User
from .tokens import tokens_revoke_all

INSTITUTIONS_FILE = Path(__file__).resolve().parent / "data" / "institutions.yaml"


def _date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


@transaction.atomic
def institutions_load(*, path: Path = INSTITUTIONS_FILE) -> ApplyResult:
    """Load the 38 provinces and the reference institutions; a second run changes nothing."""
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    result = ApplyResult()
    provinces = {}
    for item in data["provinces"]:
        provinces[str(item["code"])] = upsert_if_changed(
            Province,
            result,
            {"code": str(item["code"])},
            {"name_en": item["name"]["en"], "name_id": item["name"]["id"]},
        )
    institutions = {}
    for item in data["institutions"]:
        institutions[item["acronym"]] = upsert_if_changed(
            Institution,
            result,
            {"acronym": item["acronym"]},
            {
                "name_en": item["name"]["en"],
                "name_id": item["name"]["id"],
                "level": item["level"],
                "kind": item.get("kind") or Institution.Kind.AGENCY,
                "province": provinces[str(item["province"])] if item.get("province") else None,
                "website": item.get("website") or "",
                "valid_from": _date(item.get("valid_from")),
                "valid_to": _date(item.get("valid_to")),
            },
        )
    # Successors in a second pass: a successor may be listed after its predecessor.
    for item in data["institutions"]:
        successor = institutions[item["successor"]] if item.get("successor") else None
        upsert_if_changed(
            Institution, result, {"acronym": item["acronym"]}, {"successor": successor}
        )
    return result


@transaction.atomic
def user_upsert(
    *,
    username: str,
    role: str,
    password: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    institution: Institution | None = None,
    province: Province | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> tuple[User, bool]:
    """Create a user, or bring an existing one to these values. Returns (user, created)."""
    values = {
        "role": role,
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "institution": institution,
        "province": province,
        "is_staff": is_staff,
        "is_superuser": is_superuser,
    }
    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User(username=username, **values)
        user.set_password(password)
        user.full_clean()
        user.save()
        return user, True
    changed = [k for k, v in values.items() if getattr(user, k) != v]
    for k in changed:
        setattr(user, k, values[k])
    if changed:
        user.full_clean()
        user.save(update_fields=changed)
    return user, created


def user_set_language(*, user: User, language: str) -> None:
    """Save the user's choice ("" for none: the browser's language applies)."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def user_update_preferences(*, user: User, language: str, notifications_enabled: bool) -> User:
    """The user's own settings: the portal's language ("" to follow the browser's) and
    whether they receive emails."""
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose English or Bahasa Indonesia.")})
    user_set_language(user=user, language=language)
    if user.notifications_enabled != notifications_enabled:
        user.notifications_enabled = notifications_enabled
        user.save(update_fields=["notifications_enabled"])
    return user


@transaction.atomic
def user_sessions_end_all(*, user: User) -> None:
    """ "Log out everywhere": every session of the user ends (this one too: the hash each
    session carries changes) and every API token is revoked."""
    from django.db.models import F

    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    tokens_revoke_all(user=user)
    audit_record(action=Action.SESSIONS_ENDED, actor=user, obj=user)
