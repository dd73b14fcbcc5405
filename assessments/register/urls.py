"""The register of legal instruments and the citations to resolve."""

from django.urls import path

from assessments.register import views

urlpatterns = [
    path("instruments/", views.register_list, name="register_list"),
    path("instruments/new/", views.register_add, name="register_add"),
    path("instruments/<int:pk>/edit/", views.register_edit, name="register_edit"),
    path("instruments/citations/", views.citations_resolve, name="citations_resolve"),
    path("instruments/citations/<int:pk>/link/", views.citation_link, name="citation_link"),
]
