"""Free text at the boundary: one rule for forms, API serializers, services and workbook imports.

Control characters (other than tab, line feed and carriage return) are refused, never
silently stripped: they are invisible, a reader cannot tell what was removed, and a
workbook cannot hold them. Every free-text field has a maximum length (`LIMITS`, in
characters). `text_problem` words what is wrong, naming the field; `check_text` raises it
as a per-field ValidationError (400 in the API); `TextRule` is the same rule as a Django
validator for forms and DRF serializer fields.
"""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Maximum lengths, in characters, of the free-text fields.
JUSTIFICATION = 10_000
COMMENT = 5_000
NARRATIVE = 20_000
NOTE = 2_000
MINUTES = 20_000
REASON = 5_000
FINDING = 10_000
SECTION = 20_000  # a section of the publication (reports.models.ProfileSection)


def control_character(value: str) -> str:
    """The first control character of `value`, as U+XXXX, or ""."""
    found = CONTROL_CHARACTERS.search(value or "")
    return f"U+{ord(found.group()):04X}" if found else ""


def text_problem(value: Any, max_length: int, label: str = "") -> str:
    """What is wrong with `value` as free text of at most `max_length` characters, or "".
    `label` (the field's name as the reader knows it) is put first when given."""
    if not isinstance(value, str):
        return ""
    problem = ""
    code = control_character(value)
    if code:
        problem = _(
            "the text contains an invisible control character (%(code)s); remove it and "
            "type the text again."
        ) % {"code": code}
    elif len(value) > max_length:
        problem = _("the text has %(length)s characters; at most %(limit)s are accepted.") % {
            "length": len(value),
            "limit": max_length,
        }
    if problem and label:
        return _("%(field)s: %(problem)s") % {"field": label, "problem": problem}
    return str(problem[:1].upper() + problem[1:]) if problem else ""


def field_label(model: Any, name: str) -> Any:
    """The verbose name of a model's field (lazy: put into words in the reader's language)."""
    return getattr(model._meta.get_field(name), "verbose_name", name)


def check_text(field: str, value: Any, max_length: int, label: Any = "") -> None:
    """Raise ValidationError({field: message}) when `value` breaks the rule."""
    problem = text_problem(value, max_length, str(label or ""))
    if problem:
        raise ValidationError({field: problem})


@deconstructible
class TextRule(MaxLengthValidator):
    """The rule as a validator (forms, serializers):
    `validators=[TextRule(JUSTIFICATION, gettext_lazy("Justification"))]`.

    A MaxLengthValidator, so that the OpenAPI schema states the limit (drf-spectacular reads
    it as `maxLength`); its one message names the field (`label`, in the reader's language)
    and says what is wrong: a control character, or how many characters are too many.
    """

    message = gettext_lazy("Text with control characters or too long.")
    code = "text"

    def __init__(self, max_length: int, label: Any = ""):
        super().__init__(max_length)
        self.max_length = max_length
        self.label = label

    def __call__(self, value: Any) -> None:
        problem = text_problem(value, self.max_length, str(self.label or ""))
        if problem:
            raise ValidationError(problem, code="text")

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TextRule)
            and other.max_length == self.max_length
            and str(other.label) == str(self.label)
        )

    def __hash__(self) -> int:
        return hash((self.max_length, str(self.label)))
