from django.urls import include, path

from .harness import bare_view

urlpatterns = [
    path("__bench__/bare/", bare_view),
    path("", include("config.urls")),
]
