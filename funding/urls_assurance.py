from django.urls import path

from . import views_assurance as views

app_name = "assurance"

urlpatterns = [
    path("", views.DrawListView.as_view(), name="draw-list"),
    path("draws/new/", views.DrawCreateView.as_view(), name="draw-new"),
    path("draws/<int:pk>/", views.DrawDetailView.as_view(), name="draw-detail"),
    path("samples/<int:pk>/", views.SampleDetailView.as_view(), name="sample-detail"),
    path("samples/<int:pk>/evidence/", views.SampleEvidenceView.as_view(), name="sample-evidence"),
    path(
        "samples/<int:pk>/evidence/file/", views.SampleEvidenceFileView.as_view(), name="sample-evidence-file"
    ),
    path("clawbacks/", views.ClawbackListView.as_view(), name="clawback-list"),
    path("clawbacks/<int:pk>/approve/", views.ClawbackApproveView.as_view(), name="clawback-approve"),
    path("clawbacks/<int:pk>/complete/", views.ClawbackCompleteView.as_view(), name="clawback-complete"),
]
