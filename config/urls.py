from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# No route serves MEDIA_ROOT, with DEBUG on or off: stored files go out only through views
# that ask the permissions first (config/files.py, `serve_file`).
urlpatterns = [
    path("", include("ministries.urls")),
    path("framework/", include("indicators.urls")),
    path("", include("assessments.urls")),
    path("", include("reports.staff.urls")),
    path("", include("reports.archive.urls")),
    path("", include("reports.public.urls")),
    path("", include("reports.actionplan.urls")),
    path("", include("reports.actionplan.review_urls")),
    path("", include("audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file, so the strict CSP holds;
    # only its small inline stylesheet needs allowing, on this page alone.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
]
handler404 = "config.not_found.not_found"
