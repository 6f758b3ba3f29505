from django.urls import path

from . import views

app_name = "brokerage"
urlpatterns = [
    path("requests/", views.RequestListView.as_view(), name="request-list"),
    path("requests/waiting/", views.BrokerQueueView.as_view(), name="broker-queue"),
    path("requests/new/", views.ChooseSchoolView.as_view(), name="request-new"),
    path("requests/new/<int:urn>/", views.RaiseRequestView.as_view(), name="request-new-for-school"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request-detail"),
    path(
        "requests/<int:pk>/withdraw/", views.EndRequestView.as_view(kind="withdraw"), name="request-withdraw"
    ),
    path("requests/<int:pk>/close/", views.EndRequestView.as_view(kind="close"), name="request-close"),
    path(
        "requests/<int:pk>/shortlist/<int:designation_pk>/",
        views.BrokerActionView.as_view(),
        name="shortlist-add",
    ),
    path(
        "requests/<int:pk>/propose/<int:designation_pk>/",
        views.ProposeView.as_view(),
        name="propose",
    ),
    path(
        "requests/<int:pk>/shortlist/entry/<int:entry_pk>/notes/",
        views.ShortlistEntryFormView.as_view(kind="notes"),
        name="shortlist-notes",
    ),
    path(
        "requests/<int:pk>/shortlist/entry/<int:entry_pk>/declined/",
        views.ShortlistEntryFormView.as_view(kind="declined"),
        name="shortlist-decline",
    ),
    path(
        "requests/<int:pk>/shortlist/entry/<int:entry_pk>/<slug:action>/",
        views.ShortlistEntryView.as_view(),
        name="shortlist-entry",
    ),
    path("risk/", views.RiskListView.as_view(), name="risk-list"),
    path("risk/<int:urn>/new/", views.RiskCreateView.as_view(), name="risk-new"),
]
