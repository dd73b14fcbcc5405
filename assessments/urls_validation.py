# Owned by the validation work; views live in assessments/views_validation.py.
urlpatterns: list = []
