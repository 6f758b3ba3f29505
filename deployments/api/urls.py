from apiformat.routers import SlashOptionalRouter

from .views import DeploymentTransitionViewSet, DeploymentViewSet

app_name = "deployments-api"
router = SlashOptionalRouter()
router.register("deployments", DeploymentViewSet, basename="deployment")
router.register("deployment-transitions", DeploymentTransitionViewSet, basename="deployment-transition")
urlpatterns = router.urls
