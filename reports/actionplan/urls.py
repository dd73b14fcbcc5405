"""The action plan's pages (views.py reads, item_views.py writes); its API is api.py."""

from django.urls import path

from . import item_views, public_views, views

urlpatterns = [
    # `profile_data` (csv, xlsx, json) is registered by reports/public/urls.py.
    path(
        "profiles/<int:profile_id>/action-plan.<profile_data:fmt>",
        public_views.public_plan_data,
        name="public_action_plan_data",
    ),
    path("assessments/<int:pk>/action-plan/", views.plan_page, name="action_plan"),
    path("assessments/<int:pk>/action-plan/roadmap/", views.roadmap_page, name="action_roadmap"),
    path("assessments/<int:pk>/action-plan/summary/", views.summary_page, name="action_summary"),
    path("assessments/<int:pk>/action-plan/timeline/", views.timeline_page, name="action_timeline"),
    path("assessments/<int:pk>/action-plan/new/", item_views.item_create_view, name="action_new"),
    path(
        "assessments/<int:pk>/action-plan/from-finding/<int:finding_id>/",
        item_views.item_from_finding_view,
        name="action_from_finding",
    ),
    path(
        "assessments/<int:pk>/action-plan/publish/",
        item_views.plan_publish_view,
        name="action_plan_publish",
    ),
    path("action-plan/items/<int:pk>/", item_views.item_page, name="action_item"),
    path("action-plan/items/<int:pk>/edit/", item_views.item_edit_view, name="action_item_edit"),
    path(
        "action-plan/items/<int:pk>/updates/",
        item_views.update_post_view,
        name="action_item_update",
    ),
]
