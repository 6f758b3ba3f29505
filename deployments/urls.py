from django.urls import path

from . import views, views_agreement, views_invite, views_recorded, views_state, views_work

app_name = "deployments"
urlpatterns = [
    path("", views.DeploymentListView.as_view(), name="deployment-list"),
    path("mine/", views.DeploymentListView.as_view(mine=True), name="mine"),
    path("unavailability/", views_work.UnavailabilityView.as_view(), name="unavailability"),
    path(
        "unavailability/<int:period_pk>/delete/",
        views_work.UnavailabilityDeleteView.as_view(),
        name="unavailability-delete",
    ),
    path("<int:pk>/", views.DeploymentDetailView.as_view(), name="deployment-detail"),
    path("<int:pk>/agreement/", views_agreement.AgreementDetailView.as_view(), name="agreement-detail"),
    path("<int:pk>/agreement/edit/", views_agreement.AgreementEditView.as_view(), name="agreement-edit"),
    path(
        "<int:pk>/agreement/new-version/",
        views_agreement.AgreementNewVersionView.as_view(),
        name="agreement-new-version",
    ),
    path(
        "<int:pk>/agreement/v<int:version>/",
        views_agreement.AgreementDetailView.as_view(),
        name="agreement-version",
    ),
    path(
        "<int:pk>/agreement/v<int:version>/print/",
        views_agreement.AgreementPrintView.as_view(),
        name="agreement-print",
    ),
    path(
        "<int:pk>/agreement/v<int:version>/send/",
        views_agreement.AgreementSendView.as_view(),
        name="agreement-send",
    ),
    path(
        "<int:pk>/agreement/v<int:version>/agree/",
        views_agreement.AgreementAgreeView.as_view(),
        name="agreement-agree",
    ),
    path(
        "<int:pk>/agreement/v<int:version>/changes/",
        views_agreement.AgreementRequestChangesView.as_view(),
        name="agreement-request-changes",
    ),
    path(
        "<int:pk>/agreement/v<int:version>/record/",
        views_recorded.AgreementRecordView.as_view(),
        name="agreement-record",
    ),
    path(
        "<int:pk>/agreement/v<int:version>/record/<int:record_pk>/",
        views_recorded.RecordedSignoffConfirmView.as_view(),
        name="recorded-signoff-confirm",
    ),
    path(
        "<int:pk>/agreement/v<int:version>/record/<int:record_pk>/cancel/",
        views_recorded.RecordedSignoffCancelView.as_view(),
        name="recorded-signoff-cancel",
    ),
    path(
        "<int:pk>/agreement/recorded/<int:record_pk>/copy/",
        views_recorded.RecordedCopyView.as_view(),
        name="recorded-signoff-copy",
    ),
    path(
        "<int:pk>/parties/<slug:party>/invite/", views_invite.PartyInviteView.as_view(), name="party-invite"
    ),
    path("<int:pk>/time/", views_work.TimeLogView.as_view(), name="time-log"),
    path("<int:pk>/variations/new/", views_work.VariationCreateView.as_view(), name="variation-new"),
    path("<int:pk>/reviews/new/", views_work.ReviewCreateView.as_view(), name="review-new"),
    path("<int:pk>/evaluation/new/", views_work.EvaluationCreateView.as_view(), name="evaluation-new"),
    path("<int:pk>/<slug:action>/", views_state.StateChangeView.as_view(), name="state-change"),
]
