from rest_framework.routers import DefaultRouter

from .views import ClaimViewSet

app_name = "funding-api"
router = DefaultRouter()
router.register("claims", ClaimViewSet, basename="claim")
urlpatterns = router.urls
