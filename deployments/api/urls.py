from rest_framework.routers import DefaultRouter

from .views import DeploymentTransitionViewSet, DeploymentViewSet

app_name = "deployments-api"
# Paths answer with or without the trailing slash: a redirect would turn a POST into a GET.
router = DefaultRouter(trailing_slash="/?")
router.register("deployments", DeploymentViewSet, basename="deployment")
router.register("deployment-transitions", DeploymentTransitionViewSet, basename="deployment-transition")
urlpatterns = router.urls
