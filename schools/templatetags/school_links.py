"""``{% school_link school %}``: a school's name linked to its page only where the viewer may open it.

Brokers, commissioners and leaders often work with schools outside what they may see (a teaching
school brokers for schools across its area; the directory names every leader's school); for them
the name is plain text rather than a link to a "Page not found". The check uses what the page has
already loaded (the school's authority, trust and diocese, and the viewer's organisations), so a
list of schools costs no extra query.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..queries import school_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def school_link(context, school, text=None) -> str:
    if school is None:
        return ""
    label = school.name if text is None else text
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is not None and school_visible_to(user, school):
        url = reverse("schools:school-detail", kwargs={"urn": school.urn})
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, label)
    return format_html("{}", label)
