# API of the focal points' Excel round trip: GET /api/v1/assessments/{id}/matrix.xlsx and
# POST /api/v1/assessments/{id}/matrix/import/.
urlpatterns: list = []
