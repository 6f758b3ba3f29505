"""``{% navigation as nav %}``: the signed-in person's navigation, with the current page marked."""

from __future__ import annotations

from django import template

from ..menu import Navigation, navigation_for

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation(context) -> Navigation:
    request = context.get("request")
    if request is None:
        return Navigation()
    # Built once per request: the service navigation and the section's sub-navigation share it.
    built = getattr(request, "_navigation", None)
    if built is None:
        built = navigation_for(request.user)
        built.mark_active(request.path_info, context.get("active_nav") or "")
        request._navigation = built
    return built
