"""The profiles' staff pages (reports/staff/views.py); their API is reports/staff/api.py."""

from django.urls import path

from . import finding_views, launch_views, section_views, views

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
        "profiles/<int:profile_id>/findings/<int:finding_id>/confirm/",
        finding_views.finding_confirm_view,
        name="finding_confirm_view",
    ),
    path(
        "profiles/<int:profile_id>/findings/<int:finding_id>/translation/",
        finding_views.finding_translation_confirm_view,
        name="finding_translation_confirm_view",
    ),
    path(
        "assessments/<int:pk>/profiles/launch/hand-over/",
        launch_views.launch_handover_view,
        name="launch_handover_view",
    ),
    path(
        "assessments/<int:pk>/profiles/launch/take-back/",
        launch_views.launch_take_back_view,
        name="launch_take_back_view",
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
    # The publication editor (reports/staff/section_views.py): sections and context figures.
    path(
        "profiles/<int:profile_id>/sections/",
        section_views.profile_sections,
        name="profile_sections",
    ),
    path(
        "profiles/<int:profile_id>/sections/<int:section_id>/save/",
        section_views.section_update_view,
        name="section_update_view",
    ),
    path(
        "profiles/<int:profile_id>/figures/save/",
        section_views.figure_save_view,
        name="figure_create_view",
    ),
    path(
        "profiles/<int:profile_id>/figures/<int:figure_id>/save/",
        section_views.figure_save_view,
        name="figure_update_view",
    ),
    path(
        "profiles/<int:profile_id>/figures/<int:figure_id>/delete/",
        section_views.figure_delete_view,
        name="figure_delete_view",
    ),
    path(
        "profiles/<int:profile_id>/figures/upload/",
        section_views.figures_upload_view,
        name="figures_upload_view",
    ),
]
