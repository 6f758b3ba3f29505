from rest_framework.routers import DefaultRouter

from .views import DeploymentTransitionViewSet, DeploymentViewSet

app_name = "deployments-api"
router = DefaultRouter()
router.register("deployments", DeploymentViewSet, basename="deployment")
router.register("deployment-transitions", DeploymentTransitionViewSet, basename="deployment-transition")
urlpatterns = router.urls
