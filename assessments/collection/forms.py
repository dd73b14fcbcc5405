from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Evidence


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Evidence.Kind.choices)
    instrument_type = forms.ChoiceField(
        label=_("Instrument type"),
        choices=[("", "—"), *Evidence.InstrumentType.choices],
        required=False,
    )
    number = forms.CharField(label=_("Number"), max_length=50, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100, required=False)
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    article = forms.CharField(label=_("Article"), max_length=100, required=False)
    url = forms.URLField(label=_("Link"), max_length=1000, required=False, assume_scheme="https")
    file = forms.FileField(label=_("File"), required=False)
