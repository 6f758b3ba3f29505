from rest_framework.routers import DefaultRouter

from .views import SupportRequestViewSet

app_name = "brokerage-api"
router = DefaultRouter()
router.register("support-requests", SupportRequestViewSet, basename="support-request")
urlpatterns = router.urls
