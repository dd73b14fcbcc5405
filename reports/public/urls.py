"""The profiles' public pages: no login; unpublished profiles are 404 (reports/public/views.py)."""

from django.urls import path, register_converter

from . import views


class ProfileLanguageConverter:
    """`en` or `id`: the languages a profile is rendered in."""

    regex = "en|id"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ProfileDataConverter:
    """`csv`, `xlsx` or `json`: the files of a profile's data."""

    regex = "csv|xlsx|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ProfileLanguageConverter, "profile_lang")
register_converter(ProfileDataConverter, "profile_data")

urlpatterns = [
    path("profiles/", views.public_profiles_list, name="public_profiles"),
    path("profiles/<int:profile_id>/", views.public_profile, name="public_profile"),
    path(
        "profiles/<int:profile_id>/<profile_lang:lang>.pdf",
        views.public_profile_pdf,
        name="public_profile_pdf",
    ),
    path(
        "profiles/<int:profile_id>/data.<profile_data:fmt>",
        views.public_profile_data,
        name="public_profile_data",
    ),
]
