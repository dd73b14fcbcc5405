from django.urls import path

from assessments.review import views

urlpatterns = [
    path("review/", views.review_queue, name="review_queue"),
    path("review/accept/", views.review_accept_bulk, name="review_accept_bulk"),
    path("responses/<int:pk>/thread/", views.response_thread, name="response_thread"),
    path("responses/<int:pk>/review/", views.response_review, name="response_review"),
    path("responses/<int:pk>/comments/", views.response_comment, name="response_comment"),
    path("responses/<int:pk>/resubmit/", views.response_resubmit, name="response_resubmit"),
]
