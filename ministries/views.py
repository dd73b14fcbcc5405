from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from assessments.dashboard.inbox import inbox_for
from assessments.permissions import assessments_visible_to
from indicators.selectors import frameworks_list

from . import mfa, services
from .forms import QueuedPasswordResetForm
from .models import User


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"frameworks": frameworks_list()}
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        context["assessments"] = assessments_visible_to(user)
        context["inbox"] = inbox_for(user, today=timezone.localdate())
    return render(request, "ministries/home.html", context)


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class LoginView(auth_views.LoginView):
    """Signing in switches the portal to the language the user chose, if they ever chose one;
    otherwise the language cookie or the browser's Accept-Language stays in charge."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        """Where the code step is due (or, for a required role, setting it up), there first."""
        url = super().get_success_url()
        state = self.request.session.get(mfa.SESSION_STATE_KEY)
        if state == mfa.VERIFY:
            return f"{reverse('two_step_verify')}?{urlencode({'next': url})}"
        if state == mfa.ENROL:
            return reverse("two_step_setup")
        return url

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        language = form.get_user().language
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            _set_language_cookie(response, language)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("password_reset_done")


def _back(request: HttpRequest, next_url: str | None) -> str:
    """Where to go after switching language: `next` if it is on this site, else home."""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("home")


@require_safe
@never_cache
def language_link(request: HttpRequest, code: str) -> HttpResponse:
    """The language links of pages for anonymous visitors: set the language cookie and go
    back to `next`. A GET changes nothing on the server: a signed-in person's preferred
    language is saved only by `language_switch` (POST) or on the settings page."""
    if code not in dict(settings.LANGUAGES):
        raise Http404(_("This language is not available."))
    response = HttpResponseRedirect(_back(request, request.GET.get("next")))
    _set_language_cookie(response, code)
    return response


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """The language form of signed-in pages: the cookie, and the user's preferred language."""
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(_back(request, request.POST.get("next")))
    if language not in dict(settings.LANGUAGES):
        return response
    _set_language_cookie(response, language)
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    return response
