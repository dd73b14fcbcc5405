"""Focal points' data collection pages."""

from django.urls import path

from assessments.collection import views

urlpatterns = [
    path("assessments/<int:pk>/entry/", views.entry, name="entry"),
    path(
        "assessments/<int:pk>/institutions/<str:acronym>/",
        views.institution_entry,
        name="institution_entry",
    ),
    path("assessments/<int:pk>/evidence/", views.evidence_library, name="evidence_library"),
    path("assessments/<int:pk>/submit/", views.submit, name="submit"),
    path("assessments/<int:pk>/confirm-carried/", views.confirm_carried, name="confirm_carried"),
    path("responses/<int:pk>/save/", views.response_save, name="response_save"),
    path("responses/<int:pk>/confirm/", views.response_confirm_view, name="response_confirm"),
    path("responses/<int:pk>/evidence/", views.response_evidence, name="response_evidence"),
    path("responses/<int:pk>/history/", views.response_history, name="response_history"),
    # The only way to an evidence file: MEDIA_ROOT has no URL (config/files.py).
    path("evidence/<int:pk>/file", views.evidence_file, name="evidence_file"),
]
