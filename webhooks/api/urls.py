from django.urls import re_path

from apiformat.routers import SlashOptionalRouter, without_trailing_slash

from .views import EventFeedView, SubscriptionViewSet

app_name = "webhooks-api"
router = SlashOptionalRouter()
router.register("webhooks", SubscriptionViewSet, basename="subscription")
feed = [re_path(r"^events/$", EventFeedView.as_view(), name="event-feed")]
urlpatterns = [*feed, *without_trailing_slash(feed), *router.urls]
