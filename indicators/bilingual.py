"""Texts that exist in English and Bahasa Indonesia are stored as `<name>_en` / `<name>_id`.

Pages show the active language (falling back to English where a text is missing); the
API always returns both, as ``{"en": ..., "id": ...}``.
"""

from typing import Any

from django.utils.translation import get_language

LANGUAGES = ("en", "id")


def active_language() -> str:
    lang = (get_language() or "en").split("-")[0]
    return lang if lang in LANGUAGES else "en"


def localized(obj: Any, name: str, language: str | None = None) -> str:
    lang = language or active_language()
    value = getattr(obj, f"{name}_{lang}", "") or ""
    return value or getattr(obj, f"{name}_en", "") or ""


def both(obj: Any, name: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{name}_{lang}", "") or "" for lang in LANGUAGES}


class BilingualMixin:
    """Gives models `obj.tr("name")` for templates and services."""

    def tr(self, name: str) -> str:
        return localized(self, name)


def bilingual_field(name: str) -> Any:
    """A read-only DRF field rendering `<name>_en` / `<name>_id` as {"en": ..., "id": ...}."""
    from drf_spectacular.utils import extend_schema_field
    from rest_framework import serializers

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"en": {"type": "string"}, "id": {"type": "string"}},
            "required": ["en", "id"],
        }
    )
    class BilingualField(serializers.Field):
        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("source", "*")
            kwargs["read_only"] = True
            super().__init__(**kwargs)

        def to_representation(self, value: Any) -> dict[str, str]:
            return both(value, name)

    return BilingualField()
