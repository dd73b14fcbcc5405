"""The page form of a new steering committee review (the decisions are a table of fields
read by review_views.decisions_from_post: one select and one note per item)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config import text as text_rules
from config.text import TextRule
from ministries.models import Institution

from .review_services import CHAIR_LENGTH

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})


class ReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the meeting"), widget=DATE)
    chair = forms.CharField(
        label=_("Chaired by"),
        max_length=CHAIR_LENGTH,
        help_text=_("For example: Kementerian Luar Negeri and UN Resident Coordinator."),
        validators=[TextRule(CHAIR_LENGTH, _("Chaired by"))],
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Institutions present"),
        queryset=Institution.objects.order_by("acronym"),
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 10}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    minutes_en = forms.CharField(
        label=_("Minutes (English)"),
        required=False,
        validators=[TextRule(text_rules.MINUTES, _("Minutes (English)"))],
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
    )
    minutes_id = forms.CharField(
        label=_("Minutes (Indonesian)"),
        required=False,
        validators=[TextRule(text_rules.MINUTES, _("Minutes (Indonesian)"))],
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
    )
