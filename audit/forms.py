"""The audit page's filters (GET): person, institution, object kind, action, date range."""

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ministries.models import Institution

from .models import Action, AuditEvent


class AuditFilterForm(forms.Form):
    person = forms.CharField(label=_("Person (username)"), required=False, max_length=150)
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), required=False
    )
    kind = forms.ModelChoiceField(
        label=_("Object kind"), queryset=ContentType.objects.none(), required=False
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, events: QuerySet[AuditEvent], **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["institution"].queryset = Institution.objects.filter(
            pk__in=events.exclude(institution=None).values("institution_id")
        ).order_by("acronym")
        fields["kind"].queryset = ContentType.objects.filter(
            pk__in=events.exclude(content_type=None).values("content_type_id")
        ).order_by("app_label", "model")
        fields["kind"].label_from_instance = lambda ct: str(
            ct.model_class()._meta.verbose_name if ct.model_class() else ct.model
        )
        fields["action"].choices = [("", "---------"), *Action.choices]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def filter(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        """`events` narrowed by the valid filters (all of them when the form is invalid)."""
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["person"]:
            events = events.filter(actor_name__iexact=data["person"].strip())
        if data["institution"]:
            events = events.filter(institution=data["institution"])
        if data["kind"]:
            events = events.filter(content_type=data["kind"])
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["date_from"]:
            events = events.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(at__date__lte=data["date_to"])
        return events
