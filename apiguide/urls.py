from django.urls import path

from . import views

app_name = "apiguide"
urlpatterns = [
    path("", views.guide, {"slug": "getting-started"}, name="index"),
    path("resources/", views.resource_list, name="resource-list"),
    path("resources/<slug:name>/", views.resource_detail, name="resource-detail"),
    path("changelog/", views.changelog, name="changelog"),
    path("versioning/", views.versioning, name="versioning"),
    path("<slug:slug>/", views.guide, name="guide"),
]
