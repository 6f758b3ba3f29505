from rest_framework.routers import DefaultRouter

from .views import SchoolViewSet

app_name = "schools-api"
# Paths answer with or without the trailing slash: a redirect would turn a POST into a GET.
router = DefaultRouter(trailing_slash="/?")
router.register("schools", SchoolViewSet, basename="school")
urlpatterns = router.urls
