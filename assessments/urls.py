from django.urls import include, path

from . import views

urlpatterns = [
    path("assessments/", views.assessment_list, name="assessment_list"),
    path("assessments/<int:pk>/entry/", views.entry, name="entry"),
    path(
        "assessments/<int:pk>/institutions/<str:acronym>/",
        views.institution_entry,
        name="institution_entry",
    ),
    path("assessments/<int:pk>/evidence/", views.evidence_library, name="evidence_library"),
    path("assessments/<int:pk>/submit/", views.submit, name="submit"),
    path("responses/<int:pk>/save/", views.response_save, name="response_save"),
    path("responses/<int:pk>/evidence/", views.response_evidence, name="response_evidence"),
    path("responses/<int:pk>/history/", views.response_history, name="response_history"),
    # Coordinators' setup pages: assessment page, survey matrix, participants, workflow.
    path("", include("assessments.urls_setup")),
    # Facilitators' review queue and the thread around each answer.
    path("", include("assessments.urls_review")),
    # Consolidation across institutions, validation (FGD) and minutes, the dashboard.
    path("", include("assessments.urls_consolidation")),
    path("", include("assessments.urls_validation")),
    path("", include("assessments.urls_dashboard")),
    # Focal points' Excel round trip.
    path("", include("assessments.urls_workbook")),
]
