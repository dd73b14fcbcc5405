"""Pages of the focal points' Excel round trip (views in assessments/views_workbook.py)."""

from django.urls import path

from . import views_workbook

urlpatterns = [
    path(
        "assessments/<int:pk>/workbook.xlsx",
        views_workbook.workbook_export,
        name="workbook_export",
    ),
    path(
        "assessments/<int:pk>/workbook/import/",
        views_workbook.workbook_import,
        name="workbook_import",
    ),
    path(
        "assessments/<int:pk>/workbook/import/<int:import_id>/",
        views_workbook.workbook_import_preview,
        name="workbook_import_preview",
    ),
    path(
        "assessments/<int:pk>/workbook/import/<int:import_id>/apply/",
        views_workbook.workbook_import_apply,
        name="workbook_import_apply",
    ),
]
