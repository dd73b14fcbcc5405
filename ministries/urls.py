from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_account, views_security

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("language/", views.language_switch, name="language_switch"),
    path("language/<slug:code>/", views.language_link, name="language_link"),
    path("accounts/settings/", views_account.account_settings, name="account_settings"),
    path("accounts/password/", views_security.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/two-step/", views_security.two_step_setup, name="two_step_setup"),
    path("accounts/two-step/verify/", views_security.two_step_verify, name="two_step_verify"),
    path(
        "accounts/two-step/recovery-codes/",
        views_security.two_step_recovery_codes,
        name="two_step_recovery_codes",
    ),
    path("accounts/two-step/off/", views_security.two_step_disable, name="two_step_disable"),
    path("accounts/logout-everywhere/", views_security.logout_everywhere, name="logout_everywhere"),
    path(
        "accounts/tokens/<str:token_key>/revoke/",
        views_security.api_token_revoke,
        name="api_token_revoke",
    ),
    path("accounts/session/keepalive/", views_security.session_keepalive, name="session_keepalive"),
]
