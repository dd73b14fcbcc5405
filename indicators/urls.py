from django.urls import path

from . import views

urlpatterns = [
    path("", views.framework_list, name="framework_list"),
    path("<slug:code>/", views.framework_detail, name="framework_detail"),
    path("<slug:code>/gcm/<int:number>/", views.gcm_objective_detail, name="gcm_objective_detail"),
    path("<slug:code>/<str:indicator>/", views.indicator_detail, name="indicator_detail"),
]
