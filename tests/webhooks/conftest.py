import pytest

from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver():
    """A live local receiver; the rules that refuse local and plain-HTTP URLs are lifted."""
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def local_urls(settings):
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE = True
