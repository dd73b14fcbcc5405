"""Sign-in security pages: the code step, setting up two-step verification, recovery codes,
changing one's password, logging out everywhere, revoking an API token, and the session
keep-alive the idle warning calls."""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib import messages
from django.contrib.auth import logout, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import mfa, services, tokens
from .models import User
from .security import lockout_response
from .sessions import session_touch


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@never_cache
@login_required
def two_step_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the authenticator's code or a recovery code."""
    user = _user(request)
    if request.session.get(mfa.SESSION_STATE_KEY) != mfa.VERIFY:
        return HttpResponseRedirect(_next(request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        credentials = {"username": user.get_username()}
        if AxesProxyHandler.is_locked(request, credentials):
            return lockout_response(request)
        device = mfa.verify_code(user=user, code=form.cleaned_data["code"])
        if device is not None:
            mfa.mark_verified(request, device)
            return HttpResponseRedirect(_next(request))
        # A wrong code counts as a failed sign-in (django-axes may lock the account).
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error(
            "code", _("This code is not valid. Try the current one, or a recovery code.")
        )
    return render(
        request, "registration/two_step_verify.html", {"form": form, "next": _next(request)}
    )


@never_cache
@login_required
def two_step_setup(request: HttpRequest) -> HttpResponse:
    """Set up (or replace) the authenticator: scan the QR code or type the secret, then prove
    it works with a code. The recovery codes are shown once, on the answer to that POST."""
    user = _user(request)
    device = mfa.pending_authenticator(user)
    if device is None or (request.method == "GET" and "restart" in request.GET):
        device = mfa.authenticator_start(user=user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            codes = mfa.authenticator_confirm(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            form.add_error("code", exc.message_dict["code"])
        else:
            mfa.mark_verified(request, device)
            messages.success(request, _("Two-step verification is on."))
            return _show_codes(request, codes)
    context = {
        "form": form,
        "qr": mfa.qr_data_uri(device),
        "secret": mfa.secret_text(device),
        "required": mfa.mfa_required_for(user),
        "replacing": mfa.has_authenticator(user),
    }
    return render(request, "registration/two_step_setup.html", context)


def _show_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    response = render(request, "registration/recovery_codes.html", {"codes": codes})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def two_step_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), shown once."""
    user = _user(request)
    if not mfa.has_authenticator(user):
        return redirect("two_step_setup")
    return _show_codes(request, mfa.recovery_codes_new(user=user))


@require_POST
@login_required
def two_step_disable(request: HttpRequest) -> HttpResponse:
    """Turn two-step verification off: only for roles that do not require it."""
    user = _user(request)
    if mfa.mfa_required_for(user):
        raise PermissionDenied(_("Your role requires two-step verification."))
    mfa.mfa_reset(user=user)
    messages.success(request, _("Two-step verification is off."))
    return redirect("account_settings")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's change-password page; the new password revokes the user's API tokens
    (User.save) and ends their other sessions, keeping this one."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("account_settings")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Your password is changed. Your other sessions and your API tokens have ended."),
        )
        return response


@require_POST
@login_required
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    services.user_sessions_end_all(user=_user(request))
    logout(request)
    messages.success(
        request, _("You are logged out on every device, and your API tokens are revoked.")
    )
    return redirect("login")


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, token_key: str) -> HttpResponse:
    if tokens.token_revoke(user=_user(request), token_key=token_key):
        messages.success(request, _("The API token is revoked."))
    return redirect("account_settings")


@require_POST
@login_required
def session_keepalive(request: HttpRequest) -> HttpResponse:
    """The idle warning's "Stay signed in": a request that counts as activity."""
    session_touch(request, force=True)
    return HttpResponse(status=204)


def security_context(user: User) -> dict[str, Any]:
    """What the settings page shows about sign-in: two-step state and API tokens."""
    return {
        "mfa_on": mfa.has_authenticator(user),
        "mfa_required": mfa.mfa_required_for(user),
        "recovery_codes_left": mfa.recovery_codes_left(user),
        "api_tokens": list(tokens.tokens_of(user)),
    }
