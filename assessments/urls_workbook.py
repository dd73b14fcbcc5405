# Owned by the focal points' Excel round trip (export, import preview, apply).
# Each view lives in assessments/views_workbook.py.
urlpatterns: list = []
