"""The validation session's form: its date(s), format, place, participants, institutions."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from assessments.models import ValidationSession
from indicators.bilingual import localized
from ministries.models import Institution


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ValidationSessionForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Date (first day)"), widget=DateInput())
    ends_on = forms.DateField(
        label=gettext_lazy("Last day"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Only if the discussion lasted more than one day."),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=ValidationSession.Format.choices,
        widget=forms.RadioSelect,
    )
    place = forms.CharField(label=gettext_lazy("Place"), required=False, max_length=255)
    participant_count = forms.IntegerField(
        label=gettext_lazy("Number of participants"), min_value=1, max_value=10000
    )
    institutions = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Institutions present"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, institutions: list[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.institution_list = institutions
        field = self.fields["institutions"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(i.pk, f"{i.acronym}: {localized(i, 'name')}") for i in institutions]

    def chosen_institutions(self) -> list[Institution]:
        by_pk = {i.pk: i for i in self.institution_list}
        return [by_pk[pk] for pk in self.cleaned_data["institutions"]]

    def service_values(self) -> dict[str, Any]:
        """The valid form's values, as `services.validation_session_save` takes them."""
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "ends_on": data["ends_on"],
            "format": data["format"],
            "place": data["place"],
            "participant_count": data["participant_count"],
            "institutions": self.chosen_institutions(),
            "notes": data["notes"],
        }

    @classmethod
    def initial_for(cls, session: ValidationSession, present: list[Institution]) -> dict[str, Any]:
        return {
            "held_on": session.held_on,
            "ends_on": session.ends_on,
            "format": session.format,
            "place": session.place,
            "participant_count": session.participant_count,
            "institutions": [i.pk for i in present],
            "notes": session.notes,
        }
