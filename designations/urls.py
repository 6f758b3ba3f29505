from django.urls import path

from . import views

app_name = "designations"

urlpatterns = [
    path("", views.DesignationListView.as_view(), name="designation-list"),
    path("<int:pk>/", views.DesignationDetailView.as_view(), name="designation-detail"),
    path("mine/", views.MyDesignationListView.as_view(), name="mine"),
    path("mine/<int:pk>/", views.MyDesignationUpdateView.as_view(), name="mine-update"),
    path("types/", views.DesignationTypeListView.as_view(), name="type-list"),
    path("types/new/", views.DesignationTypeCreateView.as_view(), name="type-create"),
    path("types/<str:code>/", views.DesignationTypeDetailView.as_view(), name="type-detail"),
    path("types/<str:code>/edit/", views.DesignationTypeUpdateView.as_view(), name="type-update"),
    path("types/<str:code>/criteria/new/", views.CriterionCreateView.as_view(), name="criterion-create"),
    path(
        "types/<str:code>/criteria/<int:pk>/edit/",
        views.CriterionUpdateView.as_view(),
        name="criterion-update",
    ),
    path(
        "types/<str:code>/training/new/",
        views.TrainingRequirementCreateView.as_view(),
        name="training-create",
    ),
    path(
        "types/<str:code>/training/<int:pk>/edit/",
        views.TrainingRequirementUpdateView.as_view(),
        name="training-update",
    ),
    path("rounds/", views.ApplicationRoundListView.as_view(), name="round-list"),
    path("rounds/new/", views.ApplicationRoundCreateView.as_view(), name="round-create"),
    path("rounds/<int:pk>/edit/", views.ApplicationRoundUpdateView.as_view(), name="round-update"),
    path("rounds/<int:pk>/close/", views.ApplicationRoundCloseView.as_view(), name="round-close"),
]
