from typing import Any

from django import template

from indicators.bilingual import localized

register = template.Library()


@register.filter
def tr(obj: Any, name: str) -> str:
    """`{{ indicator|tr:"question" }}`: the text in the active language."""
    return localized(obj, name)
