"""Sales (``/api/ventas``) get the whole document battery by declaring their kind."""

import pytest

from tests.comercial.battery import DocumentEndpointTests
from tests.comercial.kinds import VENTAS

pytestmark = pytest.mark.django_db


class TestVentas(DocumentEndpointTests):
    kind = VENTAS
