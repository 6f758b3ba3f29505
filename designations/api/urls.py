from apiformat.routers import SlashOptionalRouter

from .applications import ApplicationViewSet
from .views import ApplicationRoundViewSet, DesignationTypeViewSet, DesignationViewSet

app_name = "designations-api"
router = SlashOptionalRouter()
router.register("designation-types", DesignationTypeViewSet, basename="designation-type")
router.register("rounds", ApplicationRoundViewSet, basename="round")
router.register("designations", DesignationViewSet, basename="designation")
router.register("applications", ApplicationViewSet, basename="application")
urlpatterns = router.urls
