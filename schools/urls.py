from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("", views.SchoolListView.as_view(), name="school-list"),
    path("<int:urn>/", views.SchoolDetailView.as_view(), name="school-detail"),
    path("imports/", views.ImportRunListView.as_view(), name="import-list"),
    path("imports/new/", views.ImportUploadView.as_view(), name="import-create"),
    path("imports/<int:pk>/", views.ImportRunDetailView.as_view(), name="import-detail"),
    path("imports/<int:pk>/run-again/", views.ImportRunAgainView.as_view(), name="import-run-again"),
    path("imports/<int:pk>/progress.json", views.ImportRunProgressView.as_view(), name="import-progress"),
]
