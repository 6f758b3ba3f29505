from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import EventFeedView, SubscriptionViewSet

app_name = "webhooks-api"
router = DefaultRouter()
router.register("webhooks", SubscriptionViewSet, basename="subscription")
urlpatterns = [path("events/", EventFeedView.as_view(), name="event-feed"), *router.urls]
