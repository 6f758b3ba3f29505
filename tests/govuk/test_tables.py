"""Every table scrolls inside its own region, named by its caption, so a narrow screen never scrolls
the whole page (WCAG 1.4.10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError


def render(table: str) -> str:
    source = "{% load govuk_tables %}{% table_region %}" + table + "{% endtable_region %}"
    return Template(source).render(Context())


def test_a_table_sits_in_a_focusable_region_named_by_its_caption():
    html = render('<table class="govuk-table"><caption>Schools <span>in Norfolk</span></caption></table>')

    assert html.startswith(
        '<div class="app-table-region" role="region" aria-label="Schools in Norfolk" tabindex="0">'
    )
    assert html.endswith("</table></div>")


def test_the_label_keeps_the_captions_escaping_and_quotes_cannot_end_it():
    html = render('<table><caption>Tom &amp; Jerry&#x27;s "list"</caption></table>')

    assert 'aria-label="Tom &amp; Jerry&#x27;s &quot;list&quot;"' in html


def test_a_table_without_a_caption_is_refused():
    with pytest.raises(TemplateSyntaxError, match="caption"):
        render("<table><tr><td>1</td></tr></table>")


def test_every_table_in_the_services_templates_sits_in_a_region():
    """A table outside a region scrolls the whole page at 320 px; emails are not pages."""
    root = Path(settings.BASE_DIR) / "templates"
    unwrapped = [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*.html"))
        if "emails" not in path.parts
        and path.read_text().count("<table") != path.read_text().count("{% table_region %}")
    ]
    assert unwrapped == []
