from apiformat.routers import SlashOptionalRouter

from .views import ClaimViewSet

app_name = "funding-api"
router = SlashOptionalRouter()
router.register("claims", ClaimViewSet, basename="claim")
urlpatterns = router.urls
