from django import forms
from django.utils.translation import gettext_lazy as _


class FrameworkWorkbookForm(forms.Form):
    file = forms.FileField(
        label=_("Framework workbook (.xlsx)"),
        help_text=_(
            "Sheets: Framework, Dimensions, Sub-areas, Indicators, as in an exported workbook."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the workbook; apply nothing"), required=False, initial=True
    )
