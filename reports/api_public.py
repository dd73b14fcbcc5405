# API of the profiles' public side, included under /api/v1/ by config/api_urls.py.
urlpatterns: list = []
