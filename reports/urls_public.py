# Owned by the profiles' public pages; views live in reports/views_public.py.
urlpatterns: list = []
