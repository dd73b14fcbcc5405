from django.urls import path

from assessments.dashboard import views

urlpatterns = [
    path(
        "assessments/<int:pk>/dashboard/",
        views.assessment_dashboard,
        name="assessment_dashboard",
    ),
]
