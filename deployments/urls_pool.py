"""The pool page, at /designations/pool/ where a teaching-school lead finds it among the
designation pages, served by deployments (it shows the pool's deployments)."""

from django.urls import path

from . import views_pool

app_name = "pool"
urlpatterns = [
    path("", views_pool.PoolView.as_view(), name="index"),
]
