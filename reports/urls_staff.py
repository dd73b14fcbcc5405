"""The profiles' staff pages (reports/views_staff.py)."""

from django.urls import path

from . import views_staff

urlpatterns = [
    path("assessments/<int:pk>/profiles/", views_staff.profile_manage, name="profile_manage"),
    path(
        "assessments/<int:pk>/profiles/new/",
        views_staff.profile_create_view,
        name="profile_create_view",
    ),
    path(
        "profiles/<int:profile_id>/findings/",
        views_staff.profile_findings,
        name="profile_findings",
    ),
    path(
        "profiles/<int:profile_id>/findings/<int:finding_id>/save/",
        views_staff.finding_update_view,
        name="finding_update_view",
    ),
    path(
        "profiles/<int:profile_id>/findings/<int:finding_id>/delete/",
        views_staff.finding_delete_view,
        name="finding_delete_view",
    ),
    path(
        "profiles/<int:profile_id>/render/",
        views_staff.render_request_view,
        name="render_request_view",
    ),
    path(
        "profiles/<int:profile_id>/approve/",
        views_staff.profile_approve_view,
        name="profile_approve_view",
    ),
    path(
        "profiles/<int:profile_id>/publish/",
        views_staff.profile_publish_view,
        name="profile_publish_view",
    ),
    path(
        "profiles/renders/<int:render_id>/status/",
        views_staff.render_status,
        name="render_status",
    ),
    path("profiles/renders/<int:render_id>/pdf", views_staff.render_pdf, name="render_pdf"),
]
