# Owned by the profiles' staff pages; views live in reports/views_staff.py.
urlpatterns: list = []
