from django.urls import re_path

from apiformat.routers import SlashOptionalRouter

from .views import EventFeedView, SubscriptionViewSet

app_name = "webhooks-api"
router = SlashOptionalRouter()
router.register("webhooks", SubscriptionViewSet, basename="subscription")
# With or without the trailing slash, as every router's paths (apiformat.routers).
urlpatterns = [re_path(r"^events/?$", EventFeedView.as_view(), name="event-feed"), *router.urls]
