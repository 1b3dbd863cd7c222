"""What every document endpoint (a sale, a quotation) does alike, as reusable test classes in
the manner of NetBox's API test mixins.

A new kind of document gets every test by declaration: a module ``test_<kind>.py`` with

    class TestFacturas(DocumentEndpointTests):
        kind = Kind(list_url="/api/facturas", ...)

Each mixin reads ``self.kind`` (``tests/comercial/kind.py``) and nothing else of the kind;
what only one kind does stays in that kind's folder (``tests/ventas``, ``tests/cotizaciones``).
A mixin's name does not start with ``Test``, so pytest collects it only through a declaration.
"""

from tests.comercial.battery.cancel import CancelTests
from tests.comercial.battery.cost import CostTests
from tests.comercial.battery.create import CreateTests
from tests.comercial.battery.create_refusals import CreateRefusalTests
from tests.comercial.battery.detail import DetailTests
from tests.comercial.battery.idempotency import IdempotencyTests
from tests.comercial.battery.listing import ListTests
from tests.comercial.battery.paging import PagingTests

__all__ = ["DocumentEndpointTests"]


class DocumentEndpointTests(
    ListTests,
    PagingTests,
    DetailTests,
    CreateTests,
    CreateRefusalTests,
    CancelTests,
    IdempotencyTests,
    CostTests,
):
    """Every behaviour a document endpoint shares; a subclass named ``Test…`` declares
    ``kind``."""
