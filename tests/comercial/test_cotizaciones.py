"""Quotations (``/api/cotizaciones``) get the whole document battery by declaring their kind."""

import pytest

from tests.comercial.battery import DocumentEndpointTests
from tests.comercial.kinds import COTIZACIONES

pytestmark = pytest.mark.django_db


class TestCotizaciones(DocumentEndpointTests):
    kind = COTIZACIONES
