from django.urls import path

from . import views

app_name = "webhooks"
urlpatterns = [
    path("", views.subscription_list, name="subscription-list"),
    path("add/", views.subscription_add, name="subscription-add"),
    path("<int:pk>/", views.subscription_detail, name="subscription-detail"),
    path("<int:pk>/test/", views.subscription_test, name="subscription-test"),
    path("<int:pk>/turn-on-or-off/", views.subscription_toggle, name="subscription-toggle"),
    path("<int:pk>/delete/", views.subscription_delete, name="subscription-delete"),
]
