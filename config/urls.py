from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.api import ApiRootView
from config.health import healthz, livez
from config.views import signed_in
from dataprotection import views as dataprotection_views
from worklist import views as worklist_views

urlpatterns = [
    path("", worklist_views.home, name="home"),
    path("accounts/your-data/", include("dataprotection.urls_your_data")),
    path("accounts/", include("accounts.urls")),
    path("schools/", include("schools.urls")),
    path("designations/manage/", include("designations.urls_lifecycle")),
    path("designations/pool/", include("deployments.urls_pool")),
    path("designations/", include("designations.urls")),
    path("applications/", include("designations.urls_applications")),
    path("support/dashboard/", include("oversight.urls")),
    path("partners/", include("brokerage.urls_partners")),
    path("support/", include("brokerage.urls")),
    path("support/", include("deployments.urls_proposals")),
    path("deployments/", include("deployments.urls")),
    path("claims/", include("funding.urls_claims")),
    path("funding/bursaries/", include("funding.urls_bursaries")),
    path("funding/assurance/", include("funding.urls_assurance")),
    path("term-dates/", include("schooldays.urls")),
    path("funding/money/", include("funding.urls_finance")),
    path("webhooks/", include("webhooks.urls")),
    # The API's guidance, outside /api/ (whose errors are problem details): pages, for everyone.
    path("developers/", include("apiguide.urls")),
    path("", include("statements.urls")),
    path("data-protection/", include("dataprotection.urls")),
    path("privacy/", dataprotection_views.privacy, name="privacy"),
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("signed-in/", signed_in, name="signed-in"),
    # Before the apps' routers: each DefaultRouter has a root at api/v1/ that knows only its own.
    path("api/v1/", ApiRootView.as_view(), name="api-root"),
    path("api/v1/", include("accounts.api.urls")),
    path("api/v1/", include("schools.api.urls")),
    path("api/v1/", include("designations.api.urls")),
    path("api/v1/", include("brokerage.api.urls")),
    path("api/v1/", include("deployments.api.urls")),
    path("api/v1/", include("funding.api.urls")),
    path("api/v1/", include("webhooks.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from a URL instead of inline, for the
    # Content-Security-Policy; its stylesheet draws icons from data: URIs, and the page's one inline
    # style carries the nonce (templates/drf_spectacular/swagger_ui.html).
    path(
        "api/docs/",
        csp_update({"img-src": ["data:"], "style-src": [NONCE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]

handler400 = "accounts.views.bad_request"
handler403 = "accounts.views.permission_denied"
handler404 = "accounts.views.page_not_found"
handler500 = "accounts.views.server_error"
