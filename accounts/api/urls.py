from apiformat.routers import SlashOptionalRouter

from .views import OrganisationViewSet

app_name = "accounts-api"
router = SlashOptionalRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
urlpatterns = router.urls
