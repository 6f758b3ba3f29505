from rest_framework.routers import SimpleRouter

from .views import OrganisationViewSet

app_name = "accounts-api"
router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
urlpatterns = router.urls
