# Coordinators' setup: assessment page, workflow moves, participants, survey matrix grid and
# workbook. The views live in the package assessments/views_setup/: assessment.py (create,
# detail, transition, participants), grid.py (the matrix grid and its cells) and
# matrix_files.py (the matrix workbook's export and import).
from django.urls import path

from . import views_setup

urlpatterns = [
    path("assessments/new/", views_setup.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", views_setup.assessment_detail, name="assessment_detail"),
    path(
        "assessments/<int:pk>/transition/",
        views_setup.assessment_transition,
        name="assessment_transition",
    ),
    path(
        "assessments/<int:pk>/participants/",
        views_setup.assessment_participants,
        name="assessment_participants",
    ),
    path("assessments/<int:pk>/matrix/", views_setup.matrix_grid, name="matrix_grid"),
    path("assessments/<int:pk>/matrix/cell/", views_setup.matrix_cell, name="matrix_cell"),
    path(
        "assessments/<int:pk>/matrix/export.xlsx",
        views_setup.matrix_export,
        name="matrix_export",
    ),
    path(
        "assessments/<int:pk>/matrix/import/",
        views_setup.matrix_import_view,
        name="matrix_import",
    ),
]
