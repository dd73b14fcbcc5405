# Owned by the consolidation work; views live in assessments/views_consolidation.py.
urlpatterns: list = []
