"""The Swagger UI and Redoc pages render the schema from this service's own ``/static/`` files."""

import re
from html.parser import HTMLParser

import pytest

from tests.docs.schema_helpers import SCHEMA_URL

DOC_PAGES = ["/api/docs/", "/api/redoc/"]


# -- Swagger UI and Redoc, from local files ------------------------------------------------


class _AssetParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "img", "iframe"} and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.assets.append(attrs["href"])


def page_assets(html: str) -> list[str]:
    parser = _AssetParser()
    parser.feed(html)
    return parser.assets


@pytest.mark.parametrize("url", DOC_PAGES)
def test_doc_page_is_html_and_points_at_the_schema(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert SCHEMA_URL in response.content.decode()


@pytest.mark.parametrize("url", DOC_PAGES)
def test_doc_page_loads_nothing_from_another_host(client, url):
    html = client.get(url).content.decode()

    assets = page_assets(html)
    assert any(asset.endswith(".js") for asset in assets), assets
    remote = [asset for asset in assets if not asset.startswith("/static/")]
    assert not remote, f"{url} loads assets from outside /static/: {remote}"
    urls = re.findall(r"""https?://[^\s"'<>)]+""", html)
    assert not urls, f"{url} references remote URLs (no internet here): {urls}"


@pytest.mark.parametrize("url", DOC_PAGES)
def test_doc_page_assets_are_served(client, url):
    assets = page_assets(client.get(url).content.decode())

    for asset in assets:
        if not asset.startswith("/static/"):
            continue  # reported by the test above
        response = client.get(asset)
        # Consuming streaming_content closes the response the way the test client expects.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, asset
        assert body, asset


@pytest.mark.parametrize("url", DOC_PAGES)
def test_doc_page_lets_the_browser_load_only_this_service(client, url):
    policy = client.get(url)["Content-Security-Policy"]

    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert "http" not in policy
