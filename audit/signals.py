"""Audit events that no portal service writes: sign-ins, failed sign-ins, sign-outs (Django's
auth signals, sent by the login page, the admin and the token endpoint alike), new
passwords, API tokens created and revoked, and the administrators' changes through the
Django admin (each of its LogEntry rows)."""

from typing import Any

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from knox.models import AuthToken

from .models import Action
from .services import audit_record, current_actor

ADMIN_ACTIONS = {
    ADDITION: Action.ADMIN_ADDED,
    CHANGE: Action.ADMIN_CHANGED,
    DELETION: Action.ADMIN_DELETED,
}


@receiver(user_logged_in, dispatch_uid="audit.signed_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(action=Action.SIGNED_IN, actor=user, obj=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit.signed_out")
def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=Action.SIGNED_OUT, actor=user, obj=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit.sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Only the username tried is kept (Django has already masked the password)."""
    username = str(credentials.get("username") or "")[:150]
    audit_record(
        action=Action.SIGN_IN_FAILED,
        actor_name=username,
        request=request,
        details={"username": username},
    )


@receiver(post_save, sender=LogEntry, dispatch_uid="audit.admin_action")
def _admin_action(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    event = audit_record(
        action=ADMIN_ACTIONS.get(instance.action_flag, Action.ADMIN_CHANGED),
        actor=instance.user,
        details={"change": instance.get_change_message()},
    )
    # The admin's own record of the object (it may be deleted already).
    event.content_type_id = instance.content_type_id
    event.object_id = str(instance.object_id or "")[:64]
    event.object_repr = instance.object_repr[:300]
    event.save(update_fields=["content_type", "object_id", "object_repr"])


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="audit.password_changed")
def _password_changed(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Every new password of an existing account (the change page, a reset by e-mail, the
    admin, `changepassword`): Django keeps the raw one in `_password` until the save ends."""
    if not created and getattr(instance, "_password", None) is not None:
        audit_record(
            action=Action.PASSWORD_CHANGED, actor=current_actor() or instance, obj=instance
        )


@receiver(post_save, sender=AuthToken, dispatch_uid="audit.token_created")
def _token_created(sender: Any, instance: AuthToken, created: bool, **kwargs: Any) -> None:
    if created:
        audit_record(
            action=Action.TOKEN_CREATED,
            actor=current_actor() or instance.user,
            obj=instance.user,
            details={"token_key": instance.token_key, "expiry": instance.expiry},
        )


@receiver(post_delete, sender=AuthToken, dispatch_uid="audit.token_revoked")
def _token_revoked(sender: Any, instance: AuthToken, **kwargs: Any) -> None:
    """Every way a token in force goes (revoked, logout, new password, reset); the removal
    of expired tokens is housekeeping, not recorded."""
    if instance.expiry is not None and instance.expiry < timezone.now():
        return
    # Not the token's owner as the actor row: the token may go because the owner is being
    # deleted, and a new row pointing at them would break that deletion.
    owner = instance.user
    audit_record(
        action=Action.TOKEN_REVOKED,
        actor=current_actor(),
        actor_name=owner.get_username(),
        obj=owner,
        details={"token_key": instance.token_key},
    )
