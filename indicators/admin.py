from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ExportMixin

from . import services
from .forms import FrameworkWorkbookForm
from .framework_io import FrameworkInvalid
from .models import (
    Dimension,
    FrameworkVersion,
    GCMObjective,
    Indicator,
    IndicatorGCMLink,
    LegalInstrument,
    SDGDomain,
    SDGSubcategory,
    SubArea,
)
from .register import FIELDS, instrument_problems
from .resources import IndicatorResource, framework_workbook_bytes
from .spreadsheets import WorkbookError


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "year", "title_en", "updated_at"]
    list_filter = ["level", "year"]
    actions = ["export_workbook"]
    change_list_template = "admin/indicators/frameworkversion/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "import-workbook/",
                self.admin_site.admin_view(self.import_workbook_view),
                name="indicators_frameworkversion_import_workbook",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=gettext_lazy("Export the framework as an Excel workbook"))
    def export_workbook(
        self, request: HttpRequest, queryset: QuerySet[FrameworkVersion]
    ) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one framework version."), messages.ERROR)
            return None
        framework = queryset.get()
        response = HttpResponse(
            framework_workbook_bytes(framework),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{framework.code}.xlsx"'
        return response

    def import_workbook_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        errors: list[Any] = []
        result = None
        form = FrameworkWorkbookForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            dry_run = form.cleaned_data["dry_run"]
            try:
                result = services.framework_import_workbook(
                    upload=upload, name=upload.name, dry_run=dry_run
                )
            except (FrameworkInvalid, WorkbookError) as exc:
                errors = exc.errors
            else:
                if not dry_run:
                    self.message_user(
                        request,
                        _(
                            "Framework %(code)s imported: %(created)s created, %(updated)s updated, %(deleted)s removed."
                        )
                        % {
                            "code": result.framework.code if result.framework else "",
                            "created": result.created,
                            "updated": result.updated,
                            "deleted": result.deleted,
                        },
                        messages.SUCCESS,
                    )
                    return redirect("admin:indicators_frameworkversion_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a framework workbook"),
            "form": form,
            "errors": errors,
            "result": result,
        }
        return TemplateResponse(
            request, "admin/indicators/frameworkversion/import_workbook.html", context
        )


class SubAreaInline(admin.TabularInline):
    model = SubArea
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["framework", "number", "name_en", "name_id"]
    list_filter = ["framework"]
    inlines = [SubAreaInline]


class IndicatorGCMLinkInline(admin.TabularInline):
    model = IndicatorGCMLink
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [IndicatorResource]
    list_display = [
        "code",
        "framework",
        "dimension",
        "question_en",
        "allows_not_applicable",
        "has_coverage",
    ]
    list_filter = ["framework", "dimension__number", "has_coverage", "national_competence"]
    search_fields = ["code", "question_en", "question_id"]
    list_select_related = ["framework", "dimension"]
    # The GCM links carry a flag (indirect), so they are edited inline, not in a widget.
    filter_horizontal = ["sdg_subcategories"]
    inlines = [IndicatorGCMLinkInline]


@admin.register(GCMObjective)
class GCMObjectiveAdmin(admin.ModelAdmin):
    list_display = ["number", "title_en", "title_id"]


class SDGSubcategoryInline(admin.TabularInline):
    model = SDGSubcategory
    extra = 0


@admin.register(SDGDomain)
class SDGDomainAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_id"]
    inlines = [SDGSubcategoryInline]


class LegalInstrumentAdminForm(forms.ModelForm):
    """The register's own rules (indicators.register.instrument_problems) beside the model's."""

    url = forms.URLField(
        label=gettext_lazy("link (JDIH or official gazette)"),
        max_length=1000,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = LegalInstrument
        fields = list(FIELDS)

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        for name, problems in instrument_problems(self.instance).items():
            self.add_error(name if name in self.fields else None, problems)


@admin.register(LegalInstrument)
class LegalInstrumentAdmin(admin.ModelAdmin):
    """The register of legal instruments; its page for coordinators is /instruments/."""

    list_display = ("__str__", "issuer", "issuer_name_id", "title_id", "enacted_on")
    list_filter = ("kind",)
    search_fields = ("number", "title_id", "title_en", "issuer_name_id", "issuer__acronym")
    autocomplete_fields = ("amends",)
    list_select_related = ("issuer",)
    form = LegalInstrumentAdminForm
