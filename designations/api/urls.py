from rest_framework.routers import DefaultRouter

from .applications import ApplicationViewSet
from .views import ApplicationRoundViewSet, DesignationTypeViewSet, DesignationViewSet

app_name = "designations-api"
# Paths answer with or without the trailing slash: a redirect would turn a POST into a GET.
router = DefaultRouter(trailing_slash="/?")
router.register("designation-types", DesignationTypeViewSet, basename="designation-type")
router.register("rounds", ApplicationRoundViewSet, basename="round")
router.register("designations", DesignationViewSet, basename="designation")
router.register("applications", ApplicationViewSet, basename="application")
urlpatterns = router.urls
