"""The claims pages, under /claims/."""

from django.urls import path

from . import views_claim_actions, views_claims

app_name = "claims"

urlpatterns = [
    path("", views_claims.ClaimListView.as_view(), name="claim-list"),
    path("deployment/<int:pk>/", views_claims.DeploymentClaimsView.as_view(), name="deployment"),
    path("deployment/<int:pk>/new/", views_claims.ClaimCreateView.as_view(), name="claim-new"),
    path("<int:pk>/", views_claims.ClaimDetailView.as_view(), name="claim-detail"),
    path("<int:pk>/evidence/<int:line_pk>/", views_claims.EvidenceView.as_view(), name="claim-evidence"),
    path("<int:pk>/<slug:action>/", views_claim_actions.ClaimActionView.as_view(), name="claim-action"),
]
