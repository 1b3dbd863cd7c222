"""The interactive docs work offline: in a real browser, Swagger UI and Redoc render the
schema while asking nothing of any host but the service (Redoc's bundle would fetch its footer
logo from a CDN; the pages' Content-Security-Policy keeps it from asking)."""

from urllib.parse import urlsplit

import pytest

from tests.browser.harness import BROWSER_MARKS, chromium_page, serving

pytestmark = BROWSER_MARKS

# What shows that each page rendered the schema (its title, "Clientes API").
RENDERED = {"/api/docs/": ".swagger-ui .info .title", "/api/redoc/": "h1"}


@pytest.fixture
def served(transactional_db, tmp_path):
    with serving(tmp_path, workers=1) as server:
        yield server


@pytest.mark.parametrize("path", sorted(RENDERED))
def test_a_doc_page_renders_asking_no_other_host(served, path):
    own = urlsplit(served.url).netloc
    elsewhere: list[str] = []

    def only_the_service(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:  # what would need the internet
            elsewhere.append(route.request.url)
            route.abort()

    with chromium_page() as page:
        page.route("**/*", only_the_service)
        page.goto(served.url + path)
        title = page.locator(RENDERED[path]).first
        title.wait_for()
        text, problems = title.inner_text(), list(page.problems)

    assert "Clientes API" in text
    assert elsewhere == []
    # What the policy refused never left the browser; anything else failing is a defect.
    refused = [p for p in problems if p.endswith(": csp") and own not in p]
    assert [p for p in problems if p not in refused] == []
