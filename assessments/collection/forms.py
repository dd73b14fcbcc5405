"""The evidence form: what a focal point types to add a law, a file or a link.

It only reads the values (a year is a number, a link a web address); which fields a kind
needs and what a file may be are the service's rules (`services.evidence_create`, with
`evidence_rules`), whose errors come back onto the form's fields. Messages name their field.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from assessments.collection import evidence_rules as rules
from assessments.models import Evidence
from indicators import instruments
from indicators.bilingual import active_language
from indicators.models import LegalInstrument


class BootstrapBoundField(BoundField):
    """Bootstrap's classes on the widget, `is-invalid` when the field has an error (Django
    adds `aria-invalid` and points `aria-describedby` at `<id>_error` and `<id>_helptext`)."""

    def build_widget_attrs(self, attrs: Any, widget: Any = None) -> Any:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        base = "form-select" if isinstance(widget, forms.Select) else "form-control"
        attrs["class"] = f"{base} is-invalid" if self.errors else base
        return attrs


class InstrumentInput(forms.TextInput):
    """A text input with the register as its <datalist>: the browser's own autocomplete,
    usable with the keyboard, offering each instrument's short form ("UU 18/2017") with its
    citation in the reader's language."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id', name)}-list"
        attrs.update({"list": list_id, "autocomplete": "off"})
        options = format_html_join(
            "", '<option value="{}">{}</option>', instruments.register_choices(active_language())
        )
        field = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}">{}</datalist>', field, list_id, options)


class EvidenceForm(forms.Form):
    bound_field_class = BootstrapBoundField

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Evidence.Kind.choices,
        initial=Evidence.Kind.CITATION,
        # portal.js shows only the fields of the chosen kind.
        widget=forms.Select(attrs={"data-evidence-kind-select": "1"}),
    )
    instrument = forms.CharField(
        label=_("Legal instrument"),
        required=False,
        max_length=600,
        help_text=_(
            "Type its short form, such as UU 18/2017, or words of its title, and choose it "
            "from the list. Not in the register? Leave this empty and fill in the type, title, "
            "number and year below: a coordinator will link it to the register."
        ),
        widget=InstrumentInput(),
    )
    instrument_type = forms.ChoiceField(
        label=_("Instrument type"),
        choices=[("", "—"), *Evidence.InstrumentType.choices],
        required=False,
    )
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    number = forms.CharField(label=_("Number"), max_length=50, required=False)
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        help_text=_("Four digits, such as 2017."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
    )
    article = forms.CharField(label=_("Article"), max_length=100, required=False)
    url = forms.URLField(
        label=_("Link"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word, Excel, OpenDocument, PNG or JPEG (or GIF, WebP), up to 20 MB."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt,.ods,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args: Any, id_prefix: str = "evidence", **kwargs: Any):
        kwargs.setdefault("auto_id", f"ev-{id_prefix}-%s")
        super().__init__(*args, **kwargs)
        # Messages that name their field, so they read well anywhere they are shown.
        self.fields["kind"].error_messages["required"] = rules.kind_message()
        self.fields["kind"].error_messages["invalid_choice"] = rules.kind_message()
        self.fields["instrument_type"].error_messages["invalid_choice"] = rules.instrument_message()
        self.fields["year"].error_messages["invalid"] = rules.year_message()
        self.fields["url"].error_messages["invalid"] = rules.url_message()
        for name in ("title", "number", "article", "url"):
            self.fields[name].error_messages["max_length"] = rules.named(
                name, str(_("the text is too long."))
            )
        if self.is_bound:
            # Shown again after an error: a browser cannot refill a file input.
            self.fields["file"].help_text = _(
                "If you had chosen a file, choose the file again: browsers cannot keep it "
                "after an error. PDF, Word, Excel, OpenDocument, PNG or JPEG (or GIF, WebP), "
                "up to 20 MB."
            )

    def clean_instrument(self) -> LegalInstrument | None:
        text = self.cleaned_data.get("instrument", "")
        if not text.strip():
            return None
        found = instruments.instrument_lookup(text)
        if found is None:
            raise ValidationError(rules.instrument_unknown_message(text))
        return found

    def add_service_errors(self, exc: ValidationError) -> None:
        """The service's errors, each onto its field (onto the form when it has none)."""
        for name, messages in exc.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)

    def rows(self) -> list[tuple[BoundField, str]]:
        """Every field but the kind, with the kinds it belongs to (space-separated), for
        the markup that shows only the chosen kind's fields."""
        return [
            (self[name], " ".join(rules.kinds_of(name))) for name in self.fields if name != "kind"
        ]

    def kind_notes(self) -> list[tuple[str, str]]:
        """Which fields each kind uses, shown when the script cannot hide the others."""
        labels = {name: str(self.fields[name].label) for name in self.fields}
        names = dict(Evidence.Kind.choices)
        return [
            (str(names[kind]), ", ".join(labels[f] for f in fields))
            for kind, fields in rules.KIND_FIELDS.items()
        ]
