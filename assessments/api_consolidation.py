# API of the consolidation work, included under /api/v1/ by config/api_urls.py.
urlpatterns: list = []
