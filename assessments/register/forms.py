"""The register's forms: an instrument, and the instrument a typed citation is linked to."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from indicators import instruments
from indicators.models import LegalInstrument
from indicators.register import FIELDS, instrument_problems
from ministries.models import Institution


class InstrumentForm(forms.ModelForm):
    """Add or correct an instrument; the rules are `indicators.register.instrument_save`'s."""

    url = forms.URLField(
        label=_("link (JDIH or official gazette)"),
        max_length=1000,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = LegalInstrument
        fields = [
            "kind",
            "number",
            "year",
            "issuer",
            "issuer_name_id",
            "issuer_name_en",
            "title_id",
            "title_en",
            "enacted_on",
            "url",
            "amends",
            "relation",
        ]
        widgets = {
            "enacted_on": forms.DateInput(attrs={"type": "date"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
        }
        help_texts = {
            "title_id": _(
                "As it follows “tentang”, e.g. Pelindungan Pekerja Migran Indonesia; for a "
                "treaty, its full Indonesian title."
            ),
            "title_en": _(
                "As it follows “on” in an English citation, e.g. the Protection of Indonesian "
                "Migrant Workers."
            ),
            "issuer": _(
                "For a ministerial or agency regulation: the ministry or agency, if it is in the "
                "register of institutions."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = Institution.objects.order_by("acronym")  # type: ignore[attr-defined]
        amends = LegalInstrument.objects.order_by("kind", "-year", "number")
        if self.instance.pk:
            amends = amends.exclude(pk=self.instance.pk)
        self.fields["amends"].queryset = amends  # type: ignore[attr-defined]
        for field in self.fields.values():
            widget = field.widget
            base = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = base

    def clean(self) -> dict[str, Any]:
        """The register's own rules, reported with the fields' own problems."""
        data = super().clean() or {}
        probe = LegalInstrument(**{k: v for k, v in data.items() if k in FIELDS})
        probe.pk = self.instance.pk
        for name, problems in instrument_problems(probe).items():
            if name not in self.errors:
                self.add_error(name if name in self.fields else None, problems)
        return data

    def _post_clean(self) -> None:
        """The model's checks run in the service (`instrument_save`), once, all together."""


class ResolveForm(forms.Form):
    instrument = forms.CharField(label=_("Legal instrument"), max_length=600)

    def clean_instrument(self) -> LegalInstrument:
        text = self.cleaned_data["instrument"]
        found = instruments.instrument_lookup(text)
        if found is None:
            raise ValidationError(
                _(
                    "“%(text)s” is not in the register; choose an instrument from the list, or "
                    "add it to the register first."
                )
                % {"text": text}
            )
        return found
