"""The API root: every resource under /api/v1/, whichever app serves it.

Each app includes its own router at api/v1/, so no router's own root could list the others. A new
resource (events, webhooks, ...) is added to ``API_RESOURCES`` below, under the name a partner sees.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from apiformat.responses import error_responses

# Resource name -> URL name of its list (or single endpoint), in the order the root lists them.
API_RESOURCES: dict[str, str] = {
    "me": "brokerage-api:me",
    "organisations": "accounts-api:organisation-list",
    "schools": "schools-api:school-list",
    "designation-types": "designations-api:designation-type-list",
    "rounds": "designations-api:round-list",
    "designations": "designations-api:designation-list",
    "applications": "designations-api:application-list",
    "support-requests": "brokerage-api:support-request-list",
    "deployments": "deployments-api:deployment-list",
    "deployment-transitions": "deployments-api:deployment-transition-list",
    "claims": "funding-api:claim-list",
    "events": "webhooks-api:event-feed",
    "webhooks": "webhooks-api:subscription-list",
}


class ApiRootView(APIView):
    @extend_schema(
        tags=["root"],
        summary="Every resource of the API",
        description="Each resource's name and the URL of its list.",
        responses={
            200: {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}},
            **error_responses(401, 403, 429),
        },
    )
    def get(self, request: Request) -> Response:
        return Response({
            name: reverse(url_name, request=request) for name, url_name in API_RESOURCES.items()
        })
