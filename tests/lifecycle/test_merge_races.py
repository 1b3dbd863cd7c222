"""Merges racing deletes: exactly one of them wins, and no document is ever left on a merged
or deleted customer."""

import threading

import pytest
from django.db import connection

from clientes.models import Cliente, ClienteFusion
from tenants.models import User
from tests.clients import token_client
from tests.factories import make_cliente, make_user, make_venta
from tests.lifecycle.test_merge import merge
from ventas.models import Venta


def race(tenant, *requests) -> list[int]:
    """Run each ``request(client) -> response`` at once, from its own thread and connection;
    their status codes in the order given."""
    admin = make_user(tenant, rol=User.Rol.ADMIN)
    barrier = threading.Barrier(len(requests))
    answers = [None] * len(requests)

    def run(index, request):
        client = token_client(admin)
        barrier.wait()
        answers[index] = request(client).status_code
        connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers


@pytest.mark.django_db(transaction=True)
def test_a_delete_of_the_duplicate_racing_the_merge_lets_exactly_one_win(tenant):
    survivor, duplicate = make_cliente(tenant), make_cliente(tenant, documento="900.1")

    merged, deleted = race(
        tenant,
        lambda client: merge(client, survivor.pk, duplicate.pk),
        lambda client: client.delete(f"/api/clientes/{duplicate.pk}"),
    )

    # The delete that comes second finds the id merged (308) or its row gone under its lock.
    assert (merged, deleted) in {(200, 308), (200, 404), (404, 204)}
    assert not Cliente.objects.for_tenant(tenant).filter(pk=duplicate.pk).exists()
    fusiones = ClienteFusion.objects.for_tenant(tenant)
    assert list(fusiones.values_list("antiguo_id", flat=True)) == (
        [duplicate.pk] if merged == 200 else []
    )


@pytest.mark.django_db(transaction=True)
def test_a_delete_of_the_survivor_racing_the_merge_never_orphans_a_document(tenant):
    survivor, duplicate = make_cliente(tenant), make_cliente(tenant)
    venta = make_venta(tenant, duplicate)

    merged, deleted = race(
        tenant,
        lambda client: merge(client, survivor.pk, duplicate.pk),
        lambda client: client.delete(f"/api/clientes/{survivor.pk}"),
    )

    assert (merged, deleted) in {(200, 409), (404, 204)}
    owner = Venta.objects.for_tenant(tenant).get(pk=venta.pk).cliente_id
    assert Cliente.objects.for_tenant(tenant).filter(pk=owner).exists()
    assert (
        not ClienteFusion.objects.for_tenant(tenant)
        .exclude(superviviente_id__in=Cliente.objects.for_tenant(tenant).values("pk"))
        .exists()
    )
