import pytest

from tenants.models import User
from tests.clients import token_client
from tests.factories import make_user
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver():
    """A live local receiver (``local_urls`` lets subscriptions name it)."""
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def local_urls(settings):
    """The rules that refuse local and plain-HTTP URLs lifted, as in development."""
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def other_admin(other_tenant):
    """A token client of an ADMIN of ``other_tenant``."""
    return token_client(make_user(other_tenant, rol=User.Rol.ADMIN))
