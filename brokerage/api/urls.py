from apiformat.routers import SlashOptionalRouter

from .views import SupportRequestViewSet

app_name = "brokerage-api"
router = SlashOptionalRouter()
router.register("support-requests", SupportRequestViewSet, basename="support-request")
urlpatterns = router.urls
