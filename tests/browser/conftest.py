import pytest


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "browser: drives a real headless Chromium (Debian `chromium` + Playwright) against "
        "gunicorn; deselect with -m 'not browser'",
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing():
    """Overrides the suite's MD5 hasher: gunicorn runs the production settings, which verify
    only the production hashers, so the users this test logs in with must be hashed by them."""
