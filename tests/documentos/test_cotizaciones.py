"""Quotations (``/api/cotizaciones``) get the whole document battery by declaring their kind."""

import pytest

from tests.documentos.battery import DocumentEndpointTests
from tests.documentos.kinds import COTIZACIONES

pytestmark = pytest.mark.django_db


class TestCotizaciones(DocumentEndpointTests):
    kind = COTIZACIONES
