from rest_framework.routers import DefaultRouter

from .applications import ApplicationViewSet
from .views import ApplicationRoundViewSet, DesignationTypeViewSet, DesignationViewSet

app_name = "designations-api"
router = DefaultRouter()
router.register("designation-types", DesignationTypeViewSet, basename="designation-type")
router.register("rounds", ApplicationRoundViewSet, basename="round")
router.register("designations", DesignationViewSet, basename="designation")
router.register("applications", ApplicationViewSet, basename="application")
urlpatterns = router.urls
