"""Online rebalancing: a tenant's shard group moves to the other worker
(``citus_move_shard_placement``) while its clients create customers and sales through the
real service. No request answers 5xx, every 201 is in the database afterwards and the sales'
numbers stay gapless."""

import itertools
import threading
import time

import pytest
from django.db import connection

from clientes.models import Cliente
from tests.factories import make_cliente, make_tenant
from tests.hardening.live import Call, Live, member_token, request, serving
from ventas.models import Venta

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 4
AFTER_MOVE_SECONDS = 1.5
ITEMS = [{"descripcion": "Cemento gris 50 kg", "cantidad": 2, "precioUnitario": 32900}]


def placement(tenant_id: int) -> tuple[int, int]:
    """(shard id, worker port) of the tenant's customers' shard."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.shardid, n.nodeport FROM pg_dist_placement p "
            "JOIN pg_dist_node n USING (groupid) "
            "JOIN pg_dist_shard s USING (shardid) "
            "WHERE s.shardid = get_shard_id_for_distribution_column('clientes_cliente', %s)",
            [tenant_id],
        )
        return cursor.fetchone()


def other_worker(port: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nodeport FROM pg_dist_node WHERE groupid <> 0 AND noderole = 'primary' "
            "AND nodeport <> %s ORDER BY nodeport LIMIT 1",
            [port],
        )
        return cursor.fetchone()[0]


class Clients:
    """Threads creating customers and sales until told to stop; every answer is kept."""

    def __init__(self, server, token: str, cliente_id: int):
        self.server, self.token, self.cliente_id = server, token, cliente_id
        self.replies: list[tuple[str, object]] = []
        self.stop = threading.Event()
        self.numbers = itertools.count()
        self.threads = [threading.Thread(target=self.run) for _ in range(CLIENTS)]

    def run(self) -> None:
        while not self.stop.is_set():
            n = next(self.numbers)
            cliente = Call("POST", "/api/clientes", self.token, {"nombre": f"Cliente {n}"})
            venta = Call(
                "POST", "/api/ventas", self.token, {"clienteId": self.cliente_id, "items": ITEMS}
            )
            for call in (cliente, venta):
                self.replies.append((call.path, request(self.server, call)))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)

    def created(self, path: str) -> set[int]:
        return {r.json()["id"] for p, r in self.replies if p == path and r.status == 201}


@pytest.fixture(scope="module")
def server(django_db_setup):
    with serving() as server:
        yield server


def test_a_tenants_shards_move_to_another_worker_while_it_sells(citus, server):
    tenant = make_tenant()
    _, token = member_token(tenant)
    cliente = make_cliente(tenant)
    shard, source = placement(tenant.pk)
    target = other_worker(source)
    live = Live(server)

    with Clients(server, token, cliente.pk) as clients:
        while len(clients.replies) < 20:
            time.sleep(0.05)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT citus_move_shard_placement(%s, '127.0.0.1', %s, '127.0.0.1', %s, "
                "shard_transfer_mode => 'block_writes')",
                [shard, source, target],
            )
        moved_at = len(clients.replies)
        time.sleep(AFTER_MOVE_SECONDS)

    assert placement(tenant.pk) == (shard, target)
    assert len(clients.replies) > moved_at + 10, "the clients did not go on after the move"
    assert all(r.status < 500 for _, r in clients.replies), clients.replies
    clientes = clients.created("/api/clientes")
    ventas = clients.created("/api/ventas")
    assert clientes and ventas
    stored = set(Cliente.objects.for_tenant(tenant).values_list("pk", flat=True))
    assert clientes <= stored
    numbers = sorted(Venta.objects.for_tenant(tenant).values_list("numero", flat=True))
    assert set(Venta.objects.for_tenant(tenant).values_list("pk", flat=True)) == ventas
    assert numbers == list(range(1, len(numbers) + 1))
    live.assert_clean_log()
