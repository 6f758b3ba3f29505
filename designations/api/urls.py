from rest_framework.routers import DefaultRouter

from .views import ApplicationRoundViewSet, DesignationTypeViewSet, DesignationViewSet

app_name = "designations-api"
router = DefaultRouter()
router.register("designation-types", DesignationTypeViewSet, basename="designation-type")
router.register("rounds", ApplicationRoundViewSet, basename="round")
router.register("designations", DesignationViewSet, basename="designation")
urlpatterns = router.urls
