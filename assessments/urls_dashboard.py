# Owned by the dashboard work; views live in assessments/views_dashboard.py.
urlpatterns: list = []
