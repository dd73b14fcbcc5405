"""The action plan's page forms: an item (create and edit) and an update."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

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
    evidence_title = forms.CharField(
        label=_("New link: title"), required=False, max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )  # fmt: skip
    evidence_url = forms.URLField(
        label=_("New link: address"), required=False, max_length=1000, assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "form-control"}),
    )  # fmt: skip

    def __init__(self, *args: Any, evidence: Any = None, progress: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if evidence is not None:
            self.fields["evidence"].queryset = evidence  # type: ignore[attr-defined]
        if not progress:  # a comment: no percentage, no evidence
            for name in ("percent", "evidence", "evidence_title", "evidence_url"):
                del self.fields[name]

    def link(self) -> dict[str, Any] | None:
        url = self.cleaned_data.get("evidence_url")
        if not url:
            return None
        return {"title": self.cleaned_data.get("evidence_title", ""), "url": url}
