from django.urls import path

from . import views_dashboard

urlpatterns = [
    path(
        "assessments/<int:pk>/dashboard/",
        views_dashboard.assessment_dashboard,
        name="assessment_dashboard",
    ),
]
