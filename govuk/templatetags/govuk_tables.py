"""``{% table_region %}<table>…</table>{% endtable_region %}``: a table that scrolls sideways inside
its own labelled, focusable region when it is wider than the screen, so the page itself never does
(WCAG 1.4.10 Reflow: at 320 px wide only the table scrolls, and a keyboard user can scroll it).

The region is named by the table's caption: every table has one (visually hidden where a heading
already says it), and a table without one is a mistake the tests find."""

from __future__ import annotations

import re

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()

_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)


def region_label(table_html: str) -> str:
    caption = _CAPTION.search(table_html)
    if caption is None:
        raise template.TemplateSyntaxError("A table in a table_region needs a <caption> to name the region.")
    # The caption is already escaped HTML: keep its entities, drop its tags.
    return mark_safe(" ".join(strip_tags(caption.group(1)).split()).replace('"', "&quot;"))  # noqa: S308


class TableRegionNode(template.Node):
    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist

    def render(self, context) -> str:
        table = self.nodelist.render(context)
        return format_html(
            '<div class="app-table-region" role="region" aria-label="{}" tabindex="0">{}</div>',
            region_label(table), mark_safe(table),  # noqa: S308
        )


@register.tag
def table_region(parser, token) -> TableRegionNode:
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return TableRegionNode(nodelist)
