"""The assessments app's pages, one include per stage of the cycle."""

from django.urls import include, path

urlpatterns = [
    # Coordinators' setup: the assessments, participants, survey matrix, workflow.
    path("", include("assessments.setup.urls")),
    # Focal points' data collection: entry page, evidence, history, submission.
    path("", include("assessments.collection.urls")),
    # Focal points' Excel round trip: the answers workbook.
    path("", include("assessments.collection.workbook.urls")),
    # Facilitators' review queue and the thread around each answer.
    path("", include("assessments.review.urls")),
    # Consolidation across institutions, validation (FGD) and minutes, the dashboard.
    path("", include("assessments.consolidation.urls")),
    path("", include("assessments.validation.urls")),
    path("", include("assessments.dashboard.urls")),
    # The register of legal instruments and the typed citations to link to it.
    path("", include("assessments.register.urls")),
]
