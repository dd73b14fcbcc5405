from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from assessments.collection.selectors import focal_point_home
from assessments.permissions import assessments_visible_to
from indicators.selectors import frameworks_list

from . import services
from .forms import QueuedPasswordResetForm
from .models import User


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"frameworks": frameworks_list()}
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        context["assessments"] = assessments_visible_to(user)
        if user.is_focal_point:
            context["focal_items"] = focal_point_home(user)
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
    """Signing in switches the portal to the language the user chose last time."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        language = form.get_user().language
        translation.activate(language)
        _set_language_cookie(response, language)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("password_reset_done")


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    if language not in dict(settings.LANGUAGES):
        return response
    _set_language_cookie(response, language)
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    return response
