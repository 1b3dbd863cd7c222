"""Sales (``/api/ventas``) get the whole document battery by declaring their kind."""

import pytest

from tests.documentos.battery import DocumentEndpointTests
from tests.documentos.kinds import VENTAS

pytestmark = pytest.mark.django_db


class TestVentas(DocumentEndpointTests):
    kind = VENTAS
