# Validation (the focus group discussion), its minutes, and the snapshots it freezes. The
# views live in assessments/validation/views/ (sessions.py, minutes.py, snapshots.py).
from django.urls import path

from assessments.validation import views

S = "assessments/<int:pk>/validation/<int:session_id>"

urlpatterns = [
    path("assessments/<int:pk>/validation/", views.validation_sessions, name="validation_sessions"),
    path(f"{S}/", views.validation_session, name="validation_session"),
    path(f"{S}/decide/", views.validation_decide, name="validation_decide"),
    path(f"{S}/confirm-rest/", views.validation_confirm_rest, name="validation_confirm_rest"),
    path(f"{S}/minutes.pdf", views.validation_minutes_pdf, name="validation_minutes_pdf"),
    path(f"{S}/minutes.xlsx", views.validation_minutes_xlsx, name="validation_minutes_xlsx"),
    path("assessments/<int:pk>/snapshots/", views.snapshot_list, name="snapshot_list"),
    path(
        "assessments/<int:pk>/snapshots/<int:number>/",
        views.snapshot_detail,
        name="snapshot_detail",
    ),
]
