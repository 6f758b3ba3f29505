from rest_framework.routers import DefaultRouter

app_name = "schools-api"
router = DefaultRouter()
urlpatterns = router.urls
