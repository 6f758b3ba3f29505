from rest_framework.routers import DefaultRouter

from .views import SupportRequestViewSet

app_name = "brokerage-api"
# Paths answer with or without the trailing slash: a redirect would turn a POST into a GET.
router = DefaultRouter(trailing_slash="/?")
router.register("support-requests", SupportRequestViewSet, basename="support-request")
urlpatterns = router.urls
