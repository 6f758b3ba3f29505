from django.urls import path

from . import views_partners

app_name = "partners"
urlpatterns = [
    path("", views_partners.SearchView.as_view(), name="search"),
    path("request/<int:designation_pk>/", views_partners.RequestPartnershipView.as_view(), name="request"),
    path("mine/", views_partners.MyPartnershipsView.as_view(), name="mine"),
    path("<int:pk>/", views_partners.PartnershipDetailView.as_view(), name="detail"),
    path("<int:pk>/respond/<slug:action>/", views_partners.RespondView.as_view(), name="respond"),
    path("<int:pk>/sessions/new/", views_partners.LogSessionView.as_view(), name="log-session"),
    path("<int:pk>/complete/", views_partners.CompleteView.as_view(), name="complete"),
    path("offer/", views_partners.OfferView.as_view(), name="offer"),
]
