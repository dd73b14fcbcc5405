"""Two-step verification: a time-based code (TOTP, django-otp) from an authenticator app, with
single-use recovery codes. Required of the roles in settings.MFA_REQUIRED_ROLES, offered to
everyone else; set up on the account settings page, reset by an administrator.

A signed-in session carries its state under SESSION_STATE_KEY, worked out once at sign-in so
that pages ask no query for it: "ok" (nothing more to do), "verify" (the code step is due) or
"enrol" (a required role without an authenticator: setting one up is all it may do)."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import Action, audit_record, current_actor

from . import services
from .models import User
from .sessions import session_started

SESSION_STATE_KEY = "mgi_two_step"
OK, VERIFY, ENROL = "ok", "verify", "enrol"
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def mfa_required_for(user: User) -> bool:
    required = settings.MFA_REQUIRED_ROLES
    if user.role in required:
        return True
    return user.is_superuser and User.Role.ADMINISTRATOR in required


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_step_state(user: User) -> str:
    if has_authenticator(user):
        return VERIFY
    return ENROL if mfa_required_for(user) else OK


@receiver(user_logged_in, dispatch_uid="ministries.mfa.state_at_sign_in")
def _state_at_sign_in(sender: type, request: HttpRequest | None, user: User, **kwargs: object):
    # Only a browser's sign-in has a session to mark; the token endpoint decides on its own.
    if isinstance(request, HttpRequest) and hasattr(request, "session"):
        request.session[SESSION_STATE_KEY] = two_step_state(user)
        session_started(request)


def mark_verified(request: HttpRequest, device: Device) -> None:
    """The session passed the code step (or has just set up its authenticator)."""
    otp_login(request, device)
    request.session[SESSION_STATE_KEY] = OK


def verify_code(*, user: User, code: str) -> Device | None:
    """The device that accepts `code`: the authenticator's current code, or one of the
    recovery codes (each works once). django-otp throttles a device after failures."""
    code = "".join(code.split()).lower()
    if not code:
        return None
    with transaction.atomic():
        if code.isdigit():
            devices: list[Device] = list(
                TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
            )
        else:
            devices = list(
                StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
            )
        for device in devices:
            if device.verify_token(code):
                return device
    return None


@transaction.atomic
def authenticator_start(*, user: User) -> TOTPDevice:
    """The authenticator being set up: a new secret, not in force until confirmed."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def pending_authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def authenticator_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Put the authenticator in force once it has produced a valid code; the previous one
    goes. Returns new recovery codes, to be shown once."""
    code = "".join(code.split())
    if not (code.isdigit() and device.verify_token(code)):
        raise ValidationError(
            {"code": _("This code is not valid. Enter the 6 digits your app shows now.")}
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(action=Action.MFA_ENABLED, actor=user, obj=user)
    return recovery_codes_new(user=user)


@transaction.atomic
def recovery_codes_new(*, user: User) -> list[str]:
    """New recovery codes (the old ones stop working)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.MFA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(action=Action.MFA_RECOVERY_CODES, actor=current_actor() or user, obj=user)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def mfa_reset(*, user: User) -> None:
    """Remove the user's authenticator and recovery codes (an administrator's reset for a lost
    phone, or the user turning an optional second step off). A required role sets up a new
    one at the next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(action=Action.MFA_RESET, actor=current_actor() or user, obj=user)


@transaction.atomic
def user_mfa_reset(*, user: User, actor: User) -> None:
    """An administrator's reset (a lost phone): the authenticator and recovery codes go, and
    the user's sessions and tokens end, so the next sign-in sets up a new authenticator."""
    mfa_reset(user=user)
    services.user_sessions_end_all(user=user)


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code in a data: URI (the CSP's img-src allows
    data:), drawn here: the secret never leaves the portal."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
