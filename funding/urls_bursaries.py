from django.urls import path

from . import views_bursaries as views

app_name = "bursaries"

urlpatterns = [
    path("", views.BursaryListView.as_view(), name="bursary-list"),
    path("schedule/", views.ScheduleView.as_view(), name="schedule"),
    path("rates/", views.RateListView.as_view(), name="rate-list"),
    path("rates/new/", views.RateCreateView.as_view(), name="rate-new"),
    path("rates/<int:pk>/edit/", views.RateUpdateView.as_view(), name="rate-edit"),
    path("<int:pk>/", views.BursaryDetailView.as_view(), name="bursary-detail"),
    path("<int:pk>/approve/", views.BursaryApproveView.as_view(), name="bursary-approve"),
    path("<int:pk>/cancel/", views.BursaryCancelView.as_view(), name="bursary-cancel"),
    path("<int:pk>/pay/", views.BursaryPayView.as_view(), name="bursary-pay"),
]
