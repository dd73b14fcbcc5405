# API of the profiles' staff side, included under /api/v1/ by config/api_urls.py.
urlpatterns: list = []
