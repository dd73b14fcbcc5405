"""The action plan's page forms: an item (create and edit), an update and its new evidence."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.collection.forms import EvidenceForm
from assessments.models import Evidence
from indicators.models import GCMObjective, SDGSubcategory
from ministries.models import Institution

from .models import ActionItem, ProgressUpdate

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})


class ItemForm(forms.Form):
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    title_id = forms.CharField(label=_("Title (Indonesian)"), max_length=300)
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    description_id = forms.CharField(
        label=_("Description (Indonesian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionItem.Kind.choices)
    lead = forms.ModelChoiceField(label=_("Lead institution"), queryset=Institution.objects.all())
    contributors = forms.ModelMultipleChoiceField(
        label=_("Contributing institutions"), queryset=Institution.objects.all(), required=False
    )
    gcm_objectives = forms.ModelMultipleChoiceField(
        label=_("GCM objectives"), queryset=GCMObjective.objects.order_by("number"), required=False
    )
    indicators = forms.CharField(
        label=_("MGI indicators"),
        required=False,
        max_length=500,
        help_text=_("Indicator codes separated by commas, for example 1.3.1, 4.1.2."),
    )
    dimension = forms.TypedChoiceField(
        label=_("Dimension"),
        choices=[("", "—"), *[(n, str(n)) for n in range(1, 7)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    sdg_subcategory = forms.ModelChoiceField(
        label=_("SDG 10.7.2 sub-category"),
        queryset=SDGSubcategory.objects.order_by("code"),
        required=False,
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    status_reason = forms.ChoiceField(
        label=_("Reason (delayed or dropped)"),
        choices=[("", "—"), *ActionItem.Reason.choices],
        required=False,
    )
    status_note = forms.CharField(
        label=_("Reason in your words"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    public = forms.BooleanField(label=_("Show on the public page"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")

    def clean_indicators(self) -> list[str]:
        raw = self.cleaned_data.get("indicators") or ""
        return [code.strip() for code in raw.replace(";", ",").split(",") if code.strip()]

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    @staticmethod
    def initial_for(item: ActionItem) -> dict[str, Any]:
        names = [
            "title_en", "title_id", "description_en", "description_id", "kind", "lead",
            "dimension", "sdg_subcategory", "start_date", "target_date", "status",
            "status_reason", "status_note", "public", "version",
        ]  # fmt: skip
        initial = {name: getattr(item, name) for name in names}
        initial["indicators"] = ", ".join(item.indicators or [])
        initial["contributors"] = list(item.contributors.all())
        initial["gcm_objectives"] = list(item.gcm_objectives.all())
        return initial


class UpdateForm(forms.Form):
    text = forms.CharField(
        label=_("Update"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
    language = forms.ChoiceField(
        label=_("Written in"),
        choices=ProgressUpdate.Language.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    percent = forms.IntegerField(
        label=_("Percent done"),
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    evidence = forms.ModelMultipleChoiceField(
        label=_("Evidence from your institution's library"),
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, evidence: Any = None, progress: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if evidence is not None:
            self.fields["evidence"].queryset = evidence  # type: ignore[attr-defined]
        if not progress:  # a comment: no percentage, no evidence
            self.fields["text"].label = _("Comment")
            for name in ("percent", "evidence"):
                del self.fields[name]


class UpdateEvidenceForm(EvidenceForm):
    """New evidence given with a progress update: the answers' evidence form (a citation of
    the register, a file, a link; the same rules and messages), with "no new evidence" as
    its first kind, under the prefix `ev`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "ev")
        super().__init__(*args, id_prefix="update", **kwargs)
        kind = self.fields["kind"]
        kind.label = _("New evidence")
        kind.required = False
        kind.initial = ""
        kind.choices = [("", _("No new evidence")), *Evidence.Kind.choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        """Without a kind ("no new evidence"), what the hidden fields hold is not checked."""
        data = super().clean() or {}
        if not data.get("kind"):
            for name in [n for n in self.errors if n != "kind"]:
                del self.errors[name]
        return data

    def values(self) -> dict[str, Any] | None:
        """The new evidence's values for evidence_create, or None when none is given."""
        data = self.cleaned_data
        if not data.get("kind"):
            return None
        names = ("kind", "title", "instrument_type", "number", "article", "url", "file")
        values = {name: data.get(name) or "" for name in names}
        values["file"] = data.get("file")
        values["year"] = data.get("year")
        values["instrument"] = data.get("instrument")
        return values
