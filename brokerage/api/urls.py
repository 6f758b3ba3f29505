from django.urls import re_path

from apiformat.routers import SlashOptionalRouter

from .me import MeView
from .views import SupportRequestViewSet

app_name = "brokerage-api"
router = SlashOptionalRouter()
router.register("support-requests", SupportRequestViewSet, basename="support-request")
urlpatterns = [re_path(r"^me/?$", MeView.as_view(), name="me"), *router.urls]
