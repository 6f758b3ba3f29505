import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_generates_and_validates_without_warnings(tmp_path):
    schema_file = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))

    assert "/api/v1/schools/{urn}/" in schema_file.read_text()


def test_schema_is_served_and_documents_error_responses(client):
    response = client.get(reverse("api-schema"), {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    list_responses = paths["/api/v1/schools/"]["get"]["responses"]
    detail_responses = paths["/api/v1/schools/{urn}/"]["get"]["responses"]
    assert set(list_responses) == {"200", "400", "401", "403", "404", "429"}
    assert set(detail_responses) == {"200", "401", "403", "404", "429"}
    assert "organisationToken" in response.json()["components"]["securitySchemes"]


class _AssetCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"src", "href"} and value:
                self.urls.append(value)


def test_docs_page_loads_only_local_assets(client):
    response = client.get(reverse("api-docs"))

    assert response.status_code == 200
    html = response.content.decode()
    collector = _AssetCollector()
    collector.feed(html)
    assert collector.urls, "the docs page should load Swagger UI's files"
    external = [url for url in collector.urls if re.match(r"^(https?:)?//", url)]
    assert external == []
    docs_script = [url for url in collector.urls if url.startswith(reverse("api-docs") + "?")]
    assets = [url for url in collector.urls if url not in docs_script]
    assert all(url.startswith("/assets/") for url in assets)
    assert all(finders.find(url.removeprefix("/assets/")) for url in assets)
    # Swagger UI's start-up script comes from the docs URL itself, not inline (the CSP allows no
    # inline script without the nonce).
    assert len(docs_script) == 1
    script = client.get(docs_script[0])
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    assert not re.search(r"""["'](https?:)?//[^"']+\.(js|css)""", html)
