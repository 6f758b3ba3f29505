from django.urls import path

from . import views_brokering, views_requests, views_risk

app_name = "brokerage"
urlpatterns = [
    path("requests/", views_requests.RequestListView.as_view(), name="request-list"),
    path("requests/waiting/", views_requests.BrokerQueueView.as_view(), name="broker-queue"),
    path("requests/new/", views_requests.ChooseSchoolView.as_view(), name="request-new"),
    path("requests/new/<int:urn>/", views_requests.RaiseRequestView.as_view(), name="request-new-for-school"),
    path("requests/<int:pk>/", views_requests.RequestDetailView.as_view(), name="request-detail"),
    path(
        "requests/<int:pk>/withdraw/",
        views_requests.EndRequestView.as_view(kind="withdraw"),
        name="request-withdraw",
    ),
    path(
        "requests/<int:pk>/close/", views_requests.EndRequestView.as_view(kind="close"), name="request-close"
    ),
    path(
        "requests/<int:pk>/shortlist/<int:designation_pk>/",
        views_brokering.BrokerActionView.as_view(),
        name="shortlist-add",
    ),
    # Proposing a leader (requests/<pk>/propose/<designation_pk>/) is deployments.urls_proposals.
    path(
        "requests/<int:pk>/shortlist/entry/<int:entry_pk>/notes/",
        views_brokering.ShortlistEntryFormView.as_view(kind="notes"),
        name="shortlist-notes",
    ),
    path(
        "requests/<int:pk>/shortlist/entry/<int:entry_pk>/declined/",
        views_brokering.ShortlistEntryFormView.as_view(kind="declined"),
        name="shortlist-decline",
    ),
    path(
        "requests/<int:pk>/shortlist/entry/<int:entry_pk>/<slug:action>/",
        views_brokering.ShortlistEntryView.as_view(),
        name="shortlist-entry",
    ),
    path("risk/", views_risk.RiskListView.as_view(), name="risk-list"),
    path("risk/<int:urn>/new/", views_risk.RiskCreateView.as_view(), name="risk-new"),
]
