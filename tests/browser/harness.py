"""What the browser tests share: a headless Chromium page (Debian's ``chromium``, driven by
Playwright) that records failed loads, JS errors and every URL it requested, the service it
browses, and the marks that skip them where the package is missing (never in CI)."""

import os
from contextlib import contextmanager

import pytest
from django.db import connection
from playwright import sync_api

from devtools.databases import database_url
from devtools.servers import Gunicorn

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 40  # seconds for gunicorn to answer /readyz

CHROMIUM_MISSING = not os.access(CHROMIUM, os.X_OK)
if CHROMIUM_MISSING and os.environ.get("CI"):
    # CI installs Debian's chromium (.ci/run): there the test must run, never be skipped.
    raise RuntimeError(f"{CHROMIUM} is missing in CI: .ci/run installs the chromium package")

BROWSER_MARKS = [
    pytest.mark.browser,
    # A developer machine without the Debian package still runs the rest of the suite.
    pytest.mark.skipif(
        CHROMIUM_MISSING,
        reason=f"{CHROMIUM} not found: install Debian's package (apt-get install -y chromium)",
    ),
]


@contextmanager
def serving(tmp_path, *, workers: int, **env: str):
    """gunicorn (the production config) on the test database, as this machine's browser reaches
    it: over plain HTTP at 127.0.0.1; ``env`` adds to its environment. Stopped on leaving."""
    browsable = {"DJANGO_SECURE_COOKIES": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    server = Gunicorn(
        database_url(connection.settings_dict),
        workers=workers,
        ready_path="/readyz",
        runtime_dir=tmp_path,
        log_path=tmp_path / "g.log",
        env={**browsable, **env},
    )
    server.start(timeout=START_TIMEOUT)
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def chromium_page():
    """A fresh headless Chromium page; ``page.problems`` collects failed loads and JS errors.

    Playwright's sync API runs an event loop in this thread while it is open, and Django refuses
    ORM calls from a thread with a running loop: the test touches the database only outside.
    """
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.set_default_timeout(15_000)
            page = context.new_page()
            page.problems = []
            page.requested = []  # every URL the page asked for, itself included
            page.on("request", lambda request: page.requested.append(request.url))
            page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
            page.on(
                "response",
                lambda r: (
                    r.status >= 400
                    and page.problems.append(f"{r.status} {r.request.method} {r.url}")
                ),
            )
            page.on("requestfailed", lambda r: page.problems.append(f"failed {r.url}: {r.failure}"))
            yield page
        finally:
            browser.close()
