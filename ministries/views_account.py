"""The user's own settings: preferred language and email notifications."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import User
from .views import _set_language_cookie
from .views_security import security_context


class AccountSettingsForm(forms.Form):
    # Blank: no choice saved, the browser's language applies (as for a new account).
    language = forms.ChoiceField(
        label=gettext_lazy("Preferred language"),
        choices=[("", gettext_lazy("Follow my browser's language")), *settings.LANGUAGES],
        required=False,
    )
    notifications_enabled = forms.BooleanField(
        label=gettext_lazy("Send me email notifications"),
        required=False,
        help_text=gettext_lazy(
            "Emails when one of your answers is returned or queried, when answers are "
            "submitted for your review, when an assessment moves to its next stage, and three "
            "days before a deadline."
        ),
    )


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = AccountSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"language": user.language, "notifications_enabled": user.notifications_enabled},
    )
    if form.is_valid():
        language = form.cleaned_data["language"]
        try:
            services.user_update_preferences(
                user=user,
                language=language,
                notifications_enabled=form.cleaned_data["notifications_enabled"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # The confirmation is already in the language just chosen.
            if language:
                translation.activate(language)
            messages.success(request, _("Your settings are saved."))
            response = redirect("account_settings")
            if language:
                _set_language_cookie(response, language)
            else:
                # Back to the browser's language: a cookie would keep overriding it.
                response.delete_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    path=settings.LANGUAGE_COOKIE_PATH,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                )
            return response
    context = {"form": form, **security_context(user)}
    return render(request, "ministries/account_settings.html", context)
