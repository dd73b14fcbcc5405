"""Pages of the focal points' answers workbook (views in assessments/collection/workbook/views.py)."""

from django.urls import path

from assessments.collection.workbook import views

urlpatterns = [
    path(
        "assessments/<int:pk>/workbook.xlsx",
        views.workbook_export,
        name="workbook_export",
    ),
    path(
        "assessments/<int:pk>/workbook/import/",
        views.workbook_import,
        name="workbook_import",
    ),
    path(
        "assessments/<int:pk>/workbook/import/<int:import_id>/",
        views.workbook_import_preview,
        name="workbook_import_preview",
    ),
    path(
        "assessments/<int:pk>/workbook/import/<int:import_id>/apply/",
        views.workbook_import_apply,
        name="workbook_import_apply",
    ),
]
