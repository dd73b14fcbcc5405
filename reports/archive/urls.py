"""The archive of a round: pages (reports/archive/views.py); its API is reports/archive/api.py."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "assessments/<int:pk>/archives/",
        views.round_archive_request_view,
        name="round_archive_request_view",
    ),
    path(
        "archives/<int:archive_id>/status/",
        views.round_archive_status,
        name="round_archive_status",
    ),
    path(
        "archives/<int:archive_id>/download/",
        views.round_archive_download,
        name="round_archive_download",
    ),
]
