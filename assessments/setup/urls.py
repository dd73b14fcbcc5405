"""Coordinators' setup: the assessments list, assessment page, workflow moves, participants,
survey matrix grid and workbook. The views live in the package assessments/setup/views/:
assessment.py (list, create, detail, transition, participants), grid.py (the matrix grid and
its cells) and matrix_files.py (the matrix workbook's export and import)."""

from django.urls import path

from assessments.setup import views

urlpatterns = [
    path("assessments/", views.assessment_list, name="assessment_list"),
    path("assessments/new/", views.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path(
        "assessments/<int:pk>/transition/",
        views.assessment_transition,
        name="assessment_transition",
    ),
    path(
        "assessments/<int:pk>/carry-forward/",
        views.assessment_carry_forward_view,
        name="assessment_carry_forward",
    ),
    path(
        "assessments/<int:pk>/participants/",
        views.assessment_participants,
        name="assessment_participants",
    ),
    path("assessments/<int:pk>/matrix/", views.matrix_grid, name="matrix_grid"),
    path("assessments/<int:pk>/matrix/cell/", views.matrix_cell, name="matrix_cell"),
    path(
        "assessments/<int:pk>/matrix/export.xlsx",
        views.matrix_export,
        name="matrix_export",
    ),
    path(
        "assessments/<int:pk>/matrix/import/",
        views.matrix_import_view,
        name="matrix_import",
    ),
]
