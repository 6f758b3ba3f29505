"""Proposing a leader, on the support request's URL (included under /support/ in config.urls).

A namespace of its own, ``proposals``: the path is the request's, so it cannot sit in
deployments.urls (mounted at /deployments/), and a second include may not reuse a namespace."""

from django.urls import path

from . import views_proposals

app_name = "proposals"
urlpatterns = [
    path(
        "requests/<int:pk>/propose/<int:designation_pk>/",
        views_proposals.ProposeView.as_view(),
        name="propose",
    ),
]
