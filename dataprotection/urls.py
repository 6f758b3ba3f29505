"""National administrators' pages about any person's data, under /data-protection/."""

from django.urls import path

from . import views

app_name = "dataprotection"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/erase/", views.person_erase, name="person-erase"),
    path("people/<int:pk>/details/", views.person_details, name="person-details"),
]
