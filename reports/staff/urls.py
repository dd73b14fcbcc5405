"""The profiles' staff pages (reports/staff/views.py); their API is reports/staff/api.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("assessments/<int:pk>/profiles/", views.profile_manage, name="profile_manage"),
    path(
        "assessments/<int:pk>/profiles/new/",
        views.profile_create_view,
        name="profile_create_view",
    ),
    path(
        "profiles/<int:profile_id>/findings/",
        views.profile_findings,
        name="profile_findings",
    ),
    path(
        "profiles/<int:profile_id>/findings/<int:finding_id>/save/",
        views.finding_update_view,
        name="finding_update_view",
    ),
    path(
        "profiles/<int:profile_id>/findings/<int:finding_id>/delete/",
        views.finding_delete_view,
        name="finding_delete_view",
    ),
    path(
        "profiles/<int:profile_id>/render/",
        views.render_request_view,
        name="render_request_view",
    ),
    path(
        "profiles/<int:profile_id>/approve/",
        views.profile_approve_view,
        name="profile_approve_view",
    ),
    path(
        "profiles/<int:profile_id>/publish/",
        views.profile_publish_view,
        name="profile_publish_view",
    ),
    path(
        "profiles/renders/<int:render_id>/status/",
        views.render_status,
        name="render_status",
    ),
    path("profiles/renders/<int:render_id>/pdf", views.render_pdf, name="render_pdf"),
]
