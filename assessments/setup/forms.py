"""Forms of the coordinators' setup pages: a new assessment, its participants, a workbook upload."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from indicators.bilingual import localized
from indicators.models import FrameworkVersion
from ministries.models import Institution, Province, User


class FrameworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{localized(obj, 'title')} ({obj.code})"


class AssessmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return localized(obj, "title")


class ProvinceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return localized(obj, "name")


class AssessmentCreateForm(forms.Form):
    """The scope follows the user: a national coordinator creates national assessments on a
    national framework; a provincial coordinator creates their own province's, on a local
    framework. Only an administrator chooses the province."""

    framework = FrameworkChoiceField(
        label=_("Framework version"), queryset=FrameworkVersion.objects.none()
    )
    province = ProvinceChoiceField(
        label=_("Province"),
        queryset=Province.objects.all(),
        required=False,
        empty_label=_("None: a national assessment"),
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    round = forms.IntegerField(label=_("Round"), min_value=1, max_value=50, initial=1)
    title_en = forms.CharField(label=_("Title (English)"), max_length=255)
    title_id = forms.CharField(label=_("Title (Indonesian)"), max_length=255)
    previous = AssessmentChoiceField(
        label=_("Previous round (optional)"),
        queryset=Assessment.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("The earlier assessment of the same scope that this round follows up."),
    )
    data_collection_deadline = forms.DateField(
        label=_("Data collection deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fixed_province: Province | None = None
        frameworks = FrameworkVersion.objects.order_by("-year", "code")
        previous = Assessment.objects.select_related("province").order_by("-year", "-round")
        if user.is_administrator:
            pass
        elif user.is_provincial_coordinator:
            del self.fields["province"]
            self.fixed_province = user.province
            frameworks = frameworks.filter(level=FrameworkVersion.Level.LOCAL)
            previous = previous.filter(
                scope=Assessment.Scope.PROVINCIAL, province_id=user.province_id or 0
            )
        else:
            del self.fields["province"]
            frameworks = frameworks.filter(level=FrameworkVersion.Level.NATIONAL)
            previous = previous.filter(scope=Assessment.Scope.NATIONAL)
        self.fields["framework"].queryset = frameworks  # type: ignore[attr-defined]
        self.fields["previous"].queryset = previous  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        province = self.chosen_province()
        framework = cleaned.get("framework")
        expected = FrameworkVersion.Level.LOCAL if province else FrameworkVersion.Level.NATIONAL
        if framework is not None and framework.level != expected:
            self.add_error(
                "framework",
                _("A provincial assessment needs a local framework.")
                if province
                else _("A national assessment needs a national framework."),
            )
        previous = cleaned.get("previous")
        if previous is not None and previous.province_id != (province.pk if province else None):
            self.add_error("previous", _("The previous round must have the same scope."))
        return cleaned

    def chosen_province(self) -> Province | None:
        if "province" in self.fields:
            return self.cleaned_data.get("province")
        return self.fixed_province


class ParticipantsForm(forms.Form):
    """Which eligible institutions take part; rendered as a loop of checkboxes."""

    institutions: "forms.ModelMultipleChoiceField[Institution]" = forms.ModelMultipleChoiceField(
        label=_("Participating institutions"), queryset=None, required=False
    )

    facilitators: "forms.ModelMultipleChoiceField[User]" = forms.ModelMultipleChoiceField(
        label=_("IOM facilitators of this assessment"), queryset=None, required=False
    )

    def __init__(self, *args: Any, eligible: Any, facilitators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institutions"].queryset = eligible  # type: ignore[attr-defined]
        self.fields["facilitators"].queryset = facilitators  # type: ignore[attr-defined]


class MatrixWorkbookForm(forms.Form):
    file = forms.FileField(label=_("Survey matrix workbook (.xlsx)"))
