"""Races of the sales and quotations API against the real service: gunicorn with the
production config and several sync workers, real HTTP, the committed test database.

Each request runs in its own thread on its own HTTP connection, opened before a barrier so the
requests are sent at the same moment. Where a race is about one row (a quotation, a sale, the
numbering counter), the test also holds that row locked from another database connection
until the requests pile up behind it (as many as there are workers), then lets them go: they
really overlap inside the database, whatever the scheduling. The contract: one winner, 409 for
the others, consistent rows, gapless numbers; never a 5xx, never a deadlock (the server's log
is checked after every test).

The ``Idempotency-Key`` races are in ``test_sales_idempotency_races.py``.
"""

from collections import Counter

import pytest

from comercial.models import Numeracion
from cotizaciones.models import Cotizacion, CotizacionEvento
from tests.factories import make_cliente, make_cotizacion, make_tenant, make_venta
from tests.hardening.live import Call, admin_token, member_token, numeracion_row, row_lock
from ventas.models import Venta, VentaEvento, VentaItem

pytestmark = pytest.mark.django_db(transaction=True)

YA_CONVERTIDA = {"error": "La cotización ya está convertida"}
CONVERTIR_CANCELADA = {"error": "La cotización está cancelada"}
CANCELAR_CONVERTIDA = {
    "error": "No se puede cancelar una cotización ya convertida. Cancela la venta resultante."
}
VENTA_YA_CANCELADA = {"error": "La venta ya está cancelada"}
ITEMS = [
    {"descripcion": "Cemento gris 50 kg", "cantidad": 2.5, "precioUnitario": 32900},
    {"descripcion": "Arena lavada m3", "cantidad": 1, "precioUnitario": 85000.5},
]
N = 20


def statuses(replies) -> Counter:
    return Counter(reply.status for reply in replies)


def sale_numbers(tenant) -> list[int]:
    return sorted(Venta.objects.for_tenant(tenant).values_list("numero", flat=True))


def ultimo(tenant, label: str) -> int | None:
    return (
        Numeracion.objects.for_tenant(tenant).filter(tipo=label).values_list("ultimo", flat=True)
    ).first()


def convert_call(cotizacion, token) -> Call:
    return Call("POST", f"/api/cotizaciones/{cotizacion.pk}/convertir", token)


def cancel_call(kind: str, documento, token, motivo="Error de digitación") -> Call:
    return Call("POST", f"/api/{kind}/{documento.pk}/cancelar", token, {"motivo": motivo})


# --- convertir ------------------------------------------------------------------------------


def test_twenty_concurrent_conversions_of_one_quotation_make_one_sale(live):
    tenant = make_tenant()
    seller, seller_key = member_token(tenant)
    _, admin_key = admin_token(tenant)
    cotizacion = make_cotizacion(tenant, make_cliente(tenant), vendedor=seller, notas="Obra")
    calls = [convert_call(cotizacion, (seller_key, admin_key)[i % 2]) for i in range(N)]

    replies = live.run_gated(calls, row_lock(cotizacion))

    assert statuses(replies) == {201: 1, 409: N - 1}, replies
    assert all(r.json() == YA_CONVERTIDA for r in replies if r.status == 409), replies
    [winner] = [r.json() for r in replies if r.status == 201]
    stored = Cotizacion.objects.for_tenant(tenant).get(pk=cotizacion.pk)
    assert stored.estado == Cotizacion.Estado.CONVERTIDA
    [venta] = Venta.objects.for_tenant(tenant)
    assert stored.venta_id == venta.pk == winner["venta"]["id"]
    assert winner["venta"]["cotizacionId"] == cotizacion.pk
    assert Venta.objects.for_tenant(tenant).filter(cotizacion_origen=stored).count() == 1
    assert VentaItem.objects.for_tenant(tenant).count() == 1  # the factory's one line
    assert CotizacionEvento.objects.for_tenant(tenant).filter(tipo="CONVERTIDA").count() == 1
    assert ultimo(tenant, "ventas.venta") == 1
    live.assert_clean_log()


def test_cancel_racing_convert_one_wins_and_the_state_is_consistent(live):
    tenant = make_tenant()
    seller, seller_key = member_token(tenant)
    _, admin_key = admin_token(tenant)
    rounds = 6
    conversions = 0
    for round_ in range(rounds):
        cotizacion = make_cotizacion(tenant, vendedor=seller)
        cancel = cancel_call("cotizaciones", cotizacion, (seller_key, admin_key)[round_ % 2])
        convert = convert_call(cotizacion, (admin_key, seller_key)[round_ % 2])
        calls = [cancel, convert] if round_ % 2 else [convert, cancel]

        gated = live.run_gated(calls, row_lock(cotizacion))
        replies = dict(zip(calls, gated, strict=True))

        won = {call for call, reply in replies.items() if reply.status in (200, 201)}
        assert len(won) == 1, (round_, replies)
        stored = Cotizacion.objects.for_tenant(tenant).get(pk=cotizacion.pk)
        eventos = list(
            CotizacionEvento.objects.for_tenant(tenant)
            .filter(cotizacion=stored)
            .values_list("tipo", flat=True)
        )
        ventas = Venta.objects.for_tenant(tenant).filter(cotizacion_origen=stored)
        if won == {convert}:
            conversions += 1
            assert replies[convert].status == 201, replies
            assert (replies[cancel].status, replies[cancel].json()) == (409, CANCELAR_CONVERTIDA)
            assert stored.estado == Cotizacion.Estado.CONVERTIDA
            assert stored.cancelada_en is None and stored.motivo_cancelacion is None
            assert (
                [v.pk for v in ventas]
                == [stored.venta_id]
                == [replies[convert].json()["venta"]["id"]]
            )
            assert sorted(eventos) == ["CONVERTIDA", "CREADA"]
        else:
            assert replies[cancel].status == 200, replies
            assert (replies[convert].status, replies[convert].json()) == (
                409,
                CONVERTIR_CANCELADA,
            )
            assert stored.estado == Cotizacion.Estado.CANCELADA
            assert stored.venta_id is None and stored.convertida_en is None
            assert not ventas.exists()
            assert sorted(eventos) == ["CANCELADA", "CREADA"]
    # Only the conversions made sales, numbered without gaps.
    assert sale_numbers(tenant) == list(range(1, conversions + 1))
    assert (ultimo(tenant, "ventas.venta") or 0) == conversions
    live.assert_clean_log()


# --- cancelar a sale ------------------------------------------------------------------------


def test_twenty_concurrent_cancellations_of_one_sale_one_wins(live):
    tenant = make_tenant()
    seller, _ = member_token(tenant)
    admin, admin_key = admin_token(tenant)
    venta = make_venta(tenant, vendedor=seller)
    calls = [cancel_call("ventas", venta, admin_key, motivo=f"Motivo {i}") for i in range(N)]

    replies = live.run_gated(calls, row_lock(venta))

    assert statuses(replies) == {200: 1, 409: N - 1}, replies
    assert all(r.json() == VENTA_YA_CANCELADA for r in replies if r.status == 409), replies
    winner_motivo = next(
        c.body["motivo"] for c, r in zip(calls, replies, strict=True) if r.status == 200
    )
    stored = Venta.objects.for_tenant(tenant).get(pk=venta.pk)
    assert stored.cancelada_en is not None and stored.cancelada_por_id == admin.pk
    assert stored.motivo_cancelacion == winner_motivo
    cancelada = VentaEvento.objects.for_tenant(tenant).filter(venta=stored, tipo="CANCELADA")
    assert list(cancelada.values_list("motivo", "usuario_id")) == [(winner_motivo, admin.pk)]
    live.assert_clean_log()


# --- numbering ------------------------------------------------------------------------------


def test_concurrent_creates_in_two_tenants_number_each_one_to_twenty(live):
    """Both tenants' first sales: the counter row does not exist yet when they race."""
    tenants = [make_tenant(), make_tenant()]
    keys = {t.pk: [member_token(t)[1] for _ in range(4)] for t in tenants}
    plan = [(t, i) for i in range(N) for t in tenants]  # interleaved tenants
    calls = [
        Call("POST", "/api/ventas", keys[t.pk][i % 4], {"items": ITEMS, "notas": f"#{i}"})
        for t, i in plan
    ]

    replies = live.run_concurrently(calls)

    for tenant in tenants:
        mine = [r for (t, _), r in zip(plan, replies, strict=True) if t.pk == tenant.pk]
        assert statuses(mine) == {201: N}, mine
        assert sorted(r.json()["numero"] for r in mine) == list(range(1, N + 1))
        assert all(r.headers["location"] == f"/api/ventas/{r.json()['id']}" for r in mine)
        assert sale_numbers(tenant) == list(range(1, N + 1))
        assert ultimo(tenant, "ventas.venta") == N
        assert VentaItem.objects.for_tenant(tenant).count() == N * len(ITEMS)
    live.assert_clean_log()


def test_concurrent_creates_behind_the_locked_counter_take_each_number_once(live):
    """Twenty creates held at the counter row of a tenant that already sold: 2 … 21."""
    tenant = make_tenant()
    make_venta(tenant)
    keys = [member_token(tenant)[1] for _ in range(4)]
    calls = [Call("POST", "/api/ventas", keys[i % 4], {"items": ITEMS}) for i in range(N)]

    replies = live.run_gated(calls, numeracion_row(tenant, "ventas.venta"))

    assert statuses(replies) == {201: N}, replies
    assert sorted(r.json()["numero"] for r in replies) == list(range(2, N + 2))
    assert sale_numbers(tenant) == list(range(1, N + 2))
    assert ultimo(tenant, "ventas.venta") == N + 1
    live.assert_clean_log()


def test_concurrent_sales_and_quotations_are_numbered_per_kind(live):
    tenant = make_tenant()
    keys = [member_token(tenant)[1] for _ in range(4)]
    kinds = ["ventas", "cotizaciones"] * (N // 2)
    calls = [
        Call("POST", f"/api/{kind}", keys[i % 4], {"items": ITEMS}) for i, kind in enumerate(kinds)
    ]

    replies = live.run_concurrently(calls)

    assert statuses(replies) == {201: N}, replies
    for kind, model in (("ventas", Venta), ("cotizaciones", Cotizacion)):
        numeros = [r.json()["numero"] for k, r in zip(kinds, replies, strict=True) if k == kind]
        assert sorted(numeros) == list(range(1, N // 2 + 1)), kind
        stored = model.objects.for_tenant(tenant).values_list("numero", flat=True)
        assert sorted(stored) == list(range(1, N // 2 + 1)), kind
        assert ultimo(tenant, model._meta.label_lower) == N // 2
    live.assert_clean_log()


# --- everything at once -------------------------------------------------------------------------


def test_a_busy_shop_doing_everything_at_once_never_deadlocks(live):
    """Conversions of different quotations, creates of both kinds, cancellations of sales and
    quotations, some with an ``Idempotency-Key``, all at once in one tenant: every one
    succeeds and both kinds stay numbered without gaps."""
    tenant = make_tenant()
    seller, seller_key = member_token(tenant)
    _, admin_key = admin_token(tenant)
    to_convert = [make_cotizacion(tenant, vendedor=seller) for _ in range(6)]
    to_cancel = [make_cotizacion(tenant, vendedor=seller) for _ in range(4)]
    sales = [make_venta(tenant, vendedor=seller) for _ in range(4)]
    calls = [
        *(convert_call(c, (seller_key, admin_key)[i % 2]) for i, c in enumerate(to_convert)),
        *(cancel_call("cotizaciones", c, seller_key) for c in to_cancel),
        *(cancel_call("ventas", v, admin_key) for v in sales),
        *(
            Call("POST", f"/api/{kind}", seller_key, {"items": ITEMS}, key=f"{kind}-{i}")
            for i in range(4)
            for kind in ("ventas", "cotizaciones")
        ),
    ]

    replies = live.run_concurrently(calls)

    assert {r.status for r in replies} <= {200, 201}, replies
    # 4 sales made before, 6 conversions, 4 creates; 10 quotations before, 4 creates.
    assert sale_numbers(tenant) == list(range(1, 4 + 6 + 4 + 1))
    numeros = Cotizacion.objects.for_tenant(tenant).values_list("numero", flat=True)
    assert sorted(numeros) == list(range(1, 10 + 4 + 1))
    estados = Counter(Cotizacion.objects.for_tenant(tenant).values_list("estado", flat=True))
    assert estados == {"CONVERTIDA": 6, "CANCELADA": 4, "PENDIENTE": 4}
    assert Venta.objects.for_tenant(tenant).filter(cancelada_en__isnull=False).count() == 4
    live.assert_clean_log()
