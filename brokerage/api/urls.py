from django.urls import re_path

from apiformat.routers import SlashOptionalRouter, without_trailing_slash

from .me import MeView
from .views import SupportRequestViewSet

app_name = "brokerage-api"
router = SlashOptionalRouter()
router.register("support-requests", SupportRequestViewSet, basename="support-request")
me = [re_path(r"^me/$", MeView.as_view(), name="me")]
urlpatterns = [*me, *without_trailing_slash(me), *router.urls]
