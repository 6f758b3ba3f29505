"""A person's own data, under /accounts/your-data/."""

from django.urls import path

from . import views

app_name = "your-data"

urlpatterns = [
    path("", views.your_data, name="your-data"),
    path("download/", views.your_data_download, name="download"),
    # The tokened link moves its token into the session and redirects to the clean URL (accounts.links).
    path("copy/", views.prepared_copy, name="prepared-copy-clean"),
    path("copies/<str:token>/", views.prepared_copy_link, name="prepared-copy"),
]
