"""The project's URLs plus API views that fail, for the 500 tests."""

from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project_urlpatterns


@api_view(["GET"])
@permission_classes([AllowAny])
def failing_api_view(request):
    raise RuntimeError("a bug")


def failing_plain_view(request):
    raise RuntimeError("a bug outside DRF")


urlpatterns = [
    path("api/v1/test-failure", failing_api_view),
    path("api/v1/test-plain-failure", failing_plain_view),
    *project_urlpatterns,
]
