"""The site's addresses plus an empty page on the base template: what every page costs a signed-in
person before its own content (the navigation, its task count, the service's banners)."""

from django.urls import path
from django.views.generic import TemplateView

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site

urlpatterns = [*site, path("perf/empty/", TemplateView.as_view(template_name="base.html"), name="perf-empty")]
