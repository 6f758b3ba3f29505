from rest_framework.routers import DefaultRouter

from .views import ClaimViewSet

app_name = "funding-api"
# Paths answer with or without the trailing slash: a redirect would turn a POST into a GET.
router = DefaultRouter(trailing_slash="/?")
router.register("claims", ClaimViewSet, basename="claim")
urlpatterns = router.urls
