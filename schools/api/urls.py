from apiformat.routers import SlashOptionalRouter

from .views import SchoolViewSet

app_name = "schools-api"
router = SlashOptionalRouter()
router.register("schools", SchoolViewSet, basename="school")
urlpatterns = router.urls
