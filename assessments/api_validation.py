# API of the validation work, included under /api/v1/ by config/api_urls.py.
urlpatterns: list = []
