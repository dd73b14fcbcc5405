from django.urls import path

from . import views_review

urlpatterns = [
    path("review/", views_review.review_queue, name="review_queue"),
    path("responses/<int:pk>/thread/", views_review.response_thread, name="response_thread"),
    path("responses/<int:pk>/review/", views_review.response_review, name="response_review"),
    path("responses/<int:pk>/comments/", views_review.response_comment, name="response_comment"),
    path("responses/<int:pk>/resubmit/", views_review.response_resubmit, name="response_resubmit"),
]
