"""``Idempotency-Key`` races against the real service (gunicorn, several sync workers, real
HTTP; helpers in ``live.py``).

- Identical requests sent at once with one key make one sale; each answer is the 201 (the
  original, or its replay with ``Idempotent-Replayed: true`` and the same bytes) or 409
  ``Hay una solicitud en curso con esa clave de idempotencia``.
- While the first request is held inside the database, every other request with its key is
  that 409 at once (it does not wait); afterwards the key replays the first answer.
- Many keys of one tenant at once, with expired keys to purge: no deadlock, all succeed.

Never a 5xx; the server's log is checked after every test.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from cotizaciones.models import CotizacionEvento
from tenants.models import IdempotentRequest
from tests.factories import make_cotizacion, make_tenant, make_venta
from tests.hardening.live import Call, admin_token, answered, member_token, numeracion_row, row_lock
from ventas.models import Venta, VentaEvento

pytestmark = pytest.mark.django_db(transaction=True)

EN_CURSO = {"error": "Hay una solicitud en curso con esa clave de idempotencia"}
BODY = {
    "items": [{"descripcion": "Cemento gris 50 kg", "cantidad": 2.5, "precioUnitario": 32900}],
    "notas": "Doble clic en la caja",
}
COPIES = 10


def replayed(reply) -> bool:
    return reply.headers.get("idempotent-replayed") == "true"


def test_identical_concurrent_requests_with_one_key_make_one_sale(live):
    tenant = make_tenant()
    _, key = member_token(tenant)
    calls = [Call("POST", "/api/ventas", key, BODY, key="caja-1-clic-42") for _ in range(COPIES)]

    replies = live.run_concurrently(calls)

    assert set(Counter(r.status for r in replies)) <= {201, 409}, replies
    assert all(r.json() == EN_CURSO for r in replies if r.status == 409), replies
    created = [r for r in replies if r.status == 201]
    originals = [r for r in created if not replayed(r)]
    assert len(originals) == 1, replies  # exactly one request ran
    [original] = originals
    assert {(r.content, r.headers["location"]) for r in created} == {
        (original.content, original.headers["location"])
    }
    [venta] = Venta.objects.for_tenant(tenant)
    assert original.json()["id"] == venta.pk and venta.numero == 1
    assert VentaEvento.objects.for_tenant(tenant).count() == 1
    assert IdempotentRequest.objects.for_tenant(tenant).count() == 1
    # Once the dust settles the key answers the stored 201 again.
    again = live.request(calls[0])
    assert (again.status, again.content, replayed(again)) == (201, original.content, True)
    assert Venta.objects.for_tenant(tenant).count() == 1
    live.assert_clean_log()


# Each setup: (the keyed request, the row it waits on, its status, what it writes).
def _sale_create(tenant):
    make_venta(tenant)  # the counter row exists: the create waits on it
    _, key = member_token(tenant)
    call = Call("POST", "/api/ventas", key, BODY, key="crear")
    return call, numeracion_row(tenant, "ventas.venta"), 201, {"ventas": 1, "eventos": 1}


def _quotation_convert(tenant):
    seller, key = member_token(tenant)
    cotizacion = make_cotizacion(tenant, vendedor=seller)
    call = Call("POST", f"/api/cotizaciones/{cotizacion.pk}/convertir", key, key="convertir")
    return call, row_lock(cotizacion), 201, {"ventas": 1, "eventos": 2}


def _sale_cancel(tenant):
    venta = make_venta(tenant)
    _, key = admin_token(tenant)
    call = Call(
        "POST", f"/api/ventas/{venta.pk}/cancelar", key, {"motivo": "Cobro doble"}, key="anular"
    )
    return call, row_lock(venta), 200, {"ventas": 0, "eventos": 1}


@pytest.mark.parametrize(
    "setup", [_sale_create, _quotation_convert, _sale_cancel], ids=lambda f: f.__name__[1:]
)
def test_while_the_first_request_runs_the_key_answers_409_at_once(live, setup):
    tenant = make_tenant()
    call, lock, status, written = setup(tenant)
    before = _writes(tenant)

    # The first request to claim the key waits on the held row; the others must not wait.
    replies = live.run_gated([call] * COPIES, lock, until=answered(COPIES - 1))

    assert Counter(r.status for r in replies) == {409: COPIES - 1, status: 1}, replies
    assert all(r.json() == EN_CURSO for r in replies if r.status == 409), replies
    [first] = [r for r in replies if r.status != 409]
    assert not replayed(first)
    after = _writes(tenant)
    assert after == {k: before[k] + n for k, n in {**written, "claves": 1}.items()}
    # The key now replays the first answer, byte for byte.
    again = live.request(call)
    assert (again.status, again.content, replayed(again)) == (first.status, first.content, True)
    assert _writes(tenant) == after
    live.assert_clean_log()


def _writes(tenant) -> dict:
    return {
        "ventas": Venta.objects.for_tenant(tenant).count(),
        "eventos": VentaEvento.objects.for_tenant(tenant).count()
        + CotizacionEvento.objects.for_tenant(tenant).count(),
        "claves": IdempotentRequest.objects.for_tenant(tenant).count(),
    }


def test_many_keys_at_once_purging_expired_ones_never_deadlock(live):
    """Every request with a key purges the tenant's expired keys in its own transaction:
    twenty of them at once, over the same expired rows, all succeed."""
    tenant = make_tenant()
    people = [member_token(tenant) for _ in range(4)]
    old = timezone.now() - timedelta(days=2)
    IdempotentRequest.objects.bulk_create(
        IdempotentRequest(
            tenant=tenant,
            usuario=people[n % 4][0],
            clave=f"vieja-{n}",
            huella="0" * 64,
            status=201,
            cuerpo=b"{}",
            creado_en=old,
        )
        for n in range(60)
    )
    calls = [
        Call("POST", "/api/ventas", people[i % 4][1], BODY, key=f"nueva-{i}") for i in range(20)
    ]

    replies = live.run_concurrently(calls)

    assert Counter(r.status for r in replies) == {201: 20}, replies
    assert not any(replayed(r) for r in replies)
    assert sorted(r.json()["numero"] for r in replies) == list(range(1, 21))
    claves = IdempotentRequest.objects.for_tenant(tenant).values_list("clave", flat=True)
    assert sorted(claves) == sorted(c.key for c in calls)  # the expired ones are gone
    live.assert_clean_log()
