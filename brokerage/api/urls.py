from django.urls import path
from rest_framework.routers import DefaultRouter

from .me import MeView
from .views import SupportRequestViewSet

app_name = "brokerage-api"
router = DefaultRouter()
router.register("support-requests", SupportRequestViewSet, basename="support-request")
urlpatterns = [path("me/", MeView.as_view(), name="me"), *router.urls]
