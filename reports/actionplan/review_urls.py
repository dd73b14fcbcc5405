"""The pages of the steering committee reviews (review_views.py), included by urls.py."""

from django.urls import path

from . import review_views

urlpatterns = [
    path(
        "assessments/<int:pk>/action-plan/reviews/",
        review_views.reviews_page,
        name="action_reviews",
    ),
    path(
        "assessments/<int:pk>/action-plan/reviews/new/",
        review_views.review_create_view,
        name="action_review_new",
    ),
    path("action-plan/reviews/<int:pk>/", review_views.review_page, name="action_review"),
    path(
        "action-plan/reviews/<int:pk>/minutes/<str:language>/render/",
        review_views.review_minutes_request_view,
        name="action_review_minutes_request",
    ),
    path(
        "action-plan/reviews/<int:pk>/minutes/<str:language>/status/",
        review_views.review_minutes_status,
        name="action_review_minutes_status",
    ),
    path(
        "action-plan/reviews/<int:pk>/minutes/<str:language>/pdf/",
        review_views.review_minutes_pdf,
        name="action_review_minutes_pdf",
    ),
    path(
        "action-plan/reviews/<int:pk>/minutes/<str:language>/xlsx/",
        review_views.review_minutes_xlsx,
        name="action_review_minutes_xlsx",
    ),
]
