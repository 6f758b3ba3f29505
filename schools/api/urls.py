from rest_framework.routers import DefaultRouter

from .views import SchoolViewSet

app_name = "schools-api"
router = DefaultRouter()
router.register("schools", SchoolViewSet, basename="school")
urlpatterns = router.urls
