"""A new row and the rows that refer to it in one statement (``tenants.linked_inserts``): a
customer with its ``CREADO`` event and its feed event, a sale with its items and its event;
one round trip, atomic by itself, and still a 409 that leaves an outer transaction usable.

On Citus the same rows are saved one by one in a transaction. The behaviours are checked both
ways (``way``) on either backend, and each backend's pass checks that it takes its own."""

from decimal import Decimal

import pytest
from django.db import DataError, connection, transaction
from django.db.models.functions import Upper
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import tenants.linked_inserts
from clientes.history import creation_dependents
from clientes.models import Cliente, ClienteEvento
from clientes.representation import as_api_answer
from clientes.services import DocumentoDuplicadoError, cliente_create
from comercial.services import NewItem
from eventos.models import Evento
from tenants.linked_inserts import Dependent, insert_with_dependents
from tests.conftest import ON_CITUS
from tests.factories import make_cliente
from ventas.models import Venta, VentaEvento, VentaItem
from ventas.services import venta_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shapes(monkeypatch) -> dict:
    """The process's kept shapes, empty for each test."""
    kept: dict = {}
    monkeypatch.setattr(tenants.linked_inserts, "_shapes", kept)
    return kept


@pytest.fixture(params=["one statement", "one by one"])
def way(request, monkeypatch) -> str:
    """Either way of writing, whatever the backend."""
    one_by_one = request.param == "one by one"
    monkeypatch.setattr(tenants.linked_inserts, "writes_one_by_one", lambda conn: one_by_one)
    return request.param


@pytest.fixture
def one_statement(monkeypatch) -> None:
    """The single statement, whatever the backend (Citus runs it too, more slowly)."""
    monkeypatch.setattr(tenants.linked_inserts, "writes_one_by_one", lambda conn: False)


def test_each_backend_takes_its_own_way():
    assert tenants.linked_inserts.writes_one_by_one(connection) is ON_CITUS


def _events_of(cliente: Cliente) -> tuple[list, list]:
    history = ClienteEvento.objects.for_tenant(cliente.tenant_id).filter(cliente=cliente)
    feed = Evento.objects.for_tenant(cliente.tenant_id).filter(datos__id=cliente.pk)
    return list(history.values_list("tipo", "usuario_id")), list(feed)


@pytest.mark.django_db(transaction=True)
def test_a_create_writes_the_customer_and_its_events_in_one_statement_outside_a_transaction(
    api, other_api, user, tenant, django_assert_num_queries, one_statement
):
    with django_assert_num_queries(2) as captured:  # the token (and its count), the insert
        response = api.post("/api/clientes", {"nombre": "Ana", "documento": "A-1"}, format="json")

    assert response.status_code == 201, response.content
    assert captured.captured_queries[1]["sql"].startswith("WITH ")
    cliente = Cliente.objects.for_tenant(tenant).get(pk=response.json()["id"])
    history, [feed] = _events_of(cliente)
    assert history == [(ClienteEvento.Tipo.CREADO, user.pk)]
    assert (feed.tipo, feed.usuario_id, feed.datos) == ("cliente.creado", user.pk, response.json())
    assert other_api.get(f"/api/clientes/{cliente.pk}").status_code == 404


@pytest.mark.usefixtures("way")
def test_the_objects_are_left_as_their_saves_leave_them(tenant, user):
    now = timezone.now()
    cliente = Cliente(tenant=tenant, nombre="Ana", creado_en=now, actualizado_en=now)
    dependents = creation_dependents(cliente, por=user)

    insert_with_dependents(cliente, dependents)

    [evento], [publicado] = (dependent.rows for dependent in dependents)
    assert cliente.pk and not cliente._state.adding
    assert evento.pk and evento.cliente_id == cliente.pk and not evento._state.adding
    assert publicado.pk and publicado.datos == as_api_answer(cliente)
    assert Evento.objects.for_tenant(tenant).get(pk=publicado.pk).datos["id"] == cliente.pk


@pytest.mark.usefixtures("way")
def test_a_command_writes_events_by_nobody(tenant):
    cliente = cliente_create(tenant=tenant, nombre="Sin autor", documento=None, email=None)

    history, [feed] = _events_of(cliente)
    assert history == [(ClienteEvento.Tipo.CREADO, None)]
    assert feed.usuario_id is None


@pytest.mark.usefixtures("way")
def test_an_outsider_is_not_named_in_the_events(tenant, other_user):
    cliente = cliente_create(tenant=tenant, por=other_user, nombre="Ana")

    history, [feed] = _events_of(cliente)
    assert history == [(ClienteEvento.Tipo.CREADO, None)] and feed.usuario_id is None


@pytest.mark.usefixtures("one_statement")
def test_a_kept_statement_is_not_written_again(tenant, shapes, monkeypatch):
    cliente_create(tenant=tenant, nombre="Primera")

    def write_again(*args):
        raise AssertionError("written again")

    monkeypatch.setattr(tenants.linked_inserts, "_statement", write_again)
    second = cliente_create(tenant=tenant, nombre="Segunda")

    assert Cliente.objects.for_tenant(tenant).filter(pk=second.pk).exists()
    assert len(shapes) == 1


@pytest.mark.usefixtures("way")
def test_a_duplicate_documento_inside_a_transaction_leaves_it_usable(tenant):
    make_cliente(tenant, documento="DUP-1")

    with transaction.atomic():
        with pytest.raises(DocumentoDuplicadoError):
            cliente_create(tenant=tenant, nombre="Otra", documento="dup.1")
        after = cliente_create(tenant=tenant, nombre="Después", documento="OTRO-1")

    assert Cliente.objects.for_tenant(tenant).filter(pk=after.pk).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("way")
def test_a_duplicate_documento_outside_a_transaction_writes_nothing(tenant):
    first = make_cliente(tenant, documento="DUP-2")
    counts = (Cliente.objects.unscoped().count(), Evento.objects.unscoped().count())

    with pytest.raises(DocumentoDuplicadoError):
        cliente_create(tenant=tenant, nombre="Otra", documento="DUP-2")

    assert not connection.in_atomic_block
    assert (Cliente.objects.unscoped().count(), Evento.objects.unscoped().count()) == counts
    assert _events_of(first)[0] == [(ClienteEvento.Tipo.CREADO, None)]


@pytest.mark.usefixtures("way")
def test_rows_of_several_tenants_are_refused(tenant, other_tenant):
    cliente = Cliente(tenant=tenant, nombre="Ana")
    dependents = creation_dependents(cliente)
    dependents[0].rows[0].tenant = other_tenant

    with CaptureQueriesContext(connection) as captured, pytest.raises(ValueError):
        insert_with_dependents(cliente, dependents)

    assert captured.captured_queries == []


@pytest.mark.usefixtures("way")
def test_a_value_the_statement_cannot_bind_is_refused(tenant):
    cliente = Cliente(tenant=tenant, nombre=Upper("ana"))

    with pytest.raises(TypeError, match="expression"):
        insert_with_dependents(cliente, creation_dependents(cliente))


def _lines(n: int) -> list[NewItem]:
    return [NewItem(f"Línea {i}", Decimal(i), Decimal("2.50")) for i in range(1, n + 1)]


@pytest.mark.usefixtures("one_statement")
def test_a_sale_its_items_and_its_event_are_one_statement(tenant, user):
    with CaptureQueriesContext(connection) as captured:
        venta = venta_create(tenant=tenant, vendedor=user, items=_lines(3))

    # The document with its items and event, its feed event, its number.
    [insert, published, numbered] = (q["sql"] for q in captured.captured_queries)
    assert insert.startswith("WITH ") and "UNNEST" in insert
    assert published.startswith("INSERT INTO") and "documentos_numeracion" in numbered
    assert venta.numero == 1
    assert VentaItem.objects.for_tenant(tenant).filter(venta=venta).count() == 3


@pytest.mark.usefixtures("way")
def test_several_rows_get_their_ids_in_the_order_sent(tenant):
    venta = venta_create(tenant=tenant, items=_lines(5))

    stored = VentaItem.objects.for_tenant(tenant).filter(venta=venta).order_by("id")
    sent = [(item.pk, item.descripcion, item.cantidad) for item in venta.ordered_items]
    assert sent == [(item.pk, item.descripcion, item.cantidad) for item in stored]
    assert [pk for pk, *_ in sent] == sorted(pk for pk, *_ in sent)


@pytest.mark.usefixtures("way")
def test_a_dependent_takes_what_the_database_gave_its_parent(tenant, user):
    venta = venta_create(tenant=tenant, vendedor=user, items=_lines(1))

    [creada] = venta.historia
    stored = VentaEvento.objects.for_tenant(tenant).get(pk=creada.pk)
    assert venta.creado_en is not None
    assert creada.en == stored.en == Venta.objects.for_tenant(tenant).get(pk=venta.pk).creado_en


@pytest.mark.usefixtures("way")
def test_a_row_keeps_the_parent_it_refers_to(tenant, django_assert_num_queries):
    venta = venta_create(tenant=tenant, items=_lines(2))

    with django_assert_num_queries(0):
        assert all(item.venta is venta for item in venta.ordered_items)


@pytest.mark.usefixtures("way")
def test_several_rows_with_a_json_column_are_refused(tenant):
    cliente = Cliente(tenant=tenant, nombre="Ana")
    eventos = [ClienteEvento(tenant=tenant, tipo="ACTUALIZADO", cambios={}) for _ in range(2)]

    with pytest.raises(TypeError, match="JSON"):
        insert_with_dependents(cliente, [Dependent(eventos, takes={"cliente": "id"})])


@pytest.mark.usefixtures("way")
def test_a_take_of_a_column_the_row_does_not_write_is_refused(tenant):
    cliente = Cliente(tenant=tenant, nombre="Ana")
    evento = ClienteEvento(tenant=tenant, tipo="CREADO")

    with pytest.raises(TypeError, match="not all written"):
        insert_with_dependents(cliente, [Dependent([evento], takes={"id": "id"})])


@pytest.mark.usefixtures("way")
def test_a_dependent_without_rows_writes_none(tenant):
    cliente = Cliente(tenant=tenant, nombre="Ana", creado_en=timezone.now())
    cliente.actualizado_en = cliente.creado_en

    insert_with_dependents(cliente, [Dependent([], takes={"cliente": "id"})])

    assert Cliente.objects.for_tenant(tenant).filter(pk=cliente.pk).exists()
    assert not ClienteEvento.objects.for_tenant(tenant).filter(cliente=cliente).exists()


@pytest.mark.usefixtures("way")
@pytest.mark.django_db(transaction=True)
def test_a_row_that_fails_leaves_none_of_them_written(tenant):
    now = timezone.now()
    cliente = Cliente(tenant=tenant, nombre="Ana", creado_en=now, actualizado_en=now)
    dependents = creation_dependents(cliente)
    dependents[1].rows[0].tipo = "x" * 41  # longer than the column holds

    with pytest.raises(DataError):
        insert_with_dependents(cliente, dependents)

    assert not Cliente.objects.for_tenant(tenant).exists()
    assert not ClienteEvento.objects.for_tenant(tenant).exists()
