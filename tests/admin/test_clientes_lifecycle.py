"""The customers' admin actions (archive, unarchive, merge choosing the survivor, anonymize after
a confirmation) and their history on the change page: all through the lifecycle services, so
the API's rules hold and every change is in the customer's history by its admin user."""

import pytest
from django.contrib.messages import get_messages

from clientes.models import Cliente, ClienteEvento, ClienteFusion
from tests.admin.helpers import CLIENTES, change_url
from tests.factories import make_cliente, make_venta
from ventas.models import Venta

pytestmark = pytest.mark.django_db


def act(client, action: str, clientes, **extra):
    return client.post(
        CLIENTES, {"action": action, "_selected_action": [c.pk for c in clientes], **extra}
    )


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def fresh(cliente) -> Cliente | None:
    return Cliente.objects.for_tenant(cliente.tenant_id).filter(pk=cliente.pk).first()


def tipos(cliente) -> list[str]:
    eventos = ClienteEvento.objects.for_tenant(cliente.tenant_id).filter(cliente_id=cliente.pk)
    return list(eventos.order_by("en", "id").values_list("tipo", flat=True))


def test_the_changelist_filters_by_archivado(staff, tenant):
    activo = make_cliente(tenant, nombre="Activo")
    archivado = make_cliente(tenant, nombre="Archivado", archivado=True)

    response = staff.get(CLIENTES, {"archivado__exact": "1"})

    shown = {row.pk for row in response.context["cl"].result_list}
    assert shown == {archivado.pk}
    assert activo.pk not in shown


def test_archive_and_unarchive_actions_write_their_events(staff, tenant_admin, tenant):
    cliente = make_cliente(tenant, nombre="Ana")

    act(staff, "archivar", [cliente])
    assert fresh(cliente).archivado is True
    act(staff, "desarchivar", [cliente])

    assert fresh(cliente).archivado is False
    assert tipos(cliente) == ["CREADO", "ARCHIVADO", "DESARCHIVADO"]
    ultimo = ClienteEvento.objects.for_tenant(tenant).filter(cliente_id=cliente.pk).last()
    assert ultimo.usuario_id == tenant_admin.pk


def test_the_change_page_shows_the_history(staff, tenant):
    cliente = make_cliente(tenant, nombre="Ana")
    act(staff, "archivar", [cliente])

    response = staff.get(change_url(CLIENTES, cliente.pk))

    content = response.content.decode()
    assert "historia de cambios" in content.lower()
    assert "Archivado" in content


def test_merge_asks_which_customer_stays(staff, tenant):
    a, b = make_cliente(tenant, nombre="Ana"), make_cliente(tenant, nombre="Ana B")

    response = act(staff, "fusionar", [a, b])

    assert response.status_code == 200
    assert "admin/clientes/fusionar.html" in [t.name for t in response.templates]
    assert {pk for pk, _ in response.context["form"].fields["superviviente"].choices} == {
        a.pk,
        b.pk,
    }
    assert fresh(a) and fresh(b)


def test_merge_moves_the_others_sales_into_the_chosen_survivor(staff, tenant):
    a = make_cliente(tenant, nombre="Ana")
    b = make_cliente(tenant, nombre="Ana B", documento="900.1")
    c = make_cliente(tenant, nombre="Ana C")
    venta = make_venta(tenant, b)

    response = act(staff, "fusionar", [a, b, c], post="yes", superviviente=b.pk)

    assert response.status_code == 302
    assert fresh(b) is not None and fresh(a) is None and fresh(c) is None
    assert Venta.objects.for_tenant(tenant).get(pk=venta.pk).cliente_id == b.pk
    fusiones = ClienteFusion.objects.for_tenant(tenant).values_list("antiguo_id", flat=True)
    assert set(fusiones) == {a.pk, c.pk}
    assert tipos(b).count("FUSIONADO") == 2
    assert [level for level, _ in messages_of(response)] == ["success", "success"]


def test_merge_needs_two_customers(staff, tenant):
    a = make_cliente(tenant, nombre="Ana")

    response = act(staff, "fusionar", [a], post="yes", superviviente=a.pk)

    assert response.status_code == 302
    assert [level for level, _ in messages_of(response)] == ["warning"]
    assert fresh(a) is not None


def test_merge_refuses_an_anonymized_customer_and_reports_it(staff, tenant):
    a = make_cliente(tenant, nombre="Ana")
    b = make_cliente(tenant, nombre="Ana B")
    act(staff, "anonimizar", [b], post="yes")

    response = act(staff, "fusionar", [a, b], post="yes", superviviente=a.pk)

    refusal = f"Cliente anonimizado #{b.pk}: No se puede fusionar un cliente anonimizado"
    assert ("error", refusal) in messages_of(response)
    assert fresh(b) is not None


def test_anonymize_asks_for_confirmation_first(staff, tenant):
    cliente = make_cliente(tenant, nombre="Ana Pérez", documento="900.1")

    response = act(staff, "anonimizar", [cliente])

    assert response.status_code == 200
    assert "admin/clientes/anonimizar.html" in [t.name for t in response.templates]
    assert "no se puede deshacer" in response.content.decode()
    assert fresh(cliente).anonimizado_en is None


def test_anonymize_erases_the_customer_after_confirmation(staff, tenant):
    cliente = make_cliente(tenant, nombre="Ana Pérez", documento="900.1")

    response = act(staff, "anonimizar", [cliente], post="yes")

    erased = fresh(cliente)
    assert response.status_code == 302
    assert erased.nombre == f"Cliente anonimizado #{cliente.pk}"
    assert (erased.documento, erased.archivado) == (None, True)
    assert tipos(cliente)[-1] == "ANONIMIZADO"


def test_actions_never_reach_another_tenants_customer(staff, tenant, other_tenant):
    ajeno = make_cliente(other_tenant, nombre="Ajeno")
    propio = make_cliente(tenant, nombre="Propio")

    act(staff, "archivar", [ajeno])
    act(staff, "anonimizar", [ajeno], post="yes")
    act(staff, "fusionar", [propio, ajeno], post="yes", superviviente=propio.pk)

    ajeno = fresh(ajeno)
    assert (ajeno.nombre, ajeno.archivado, ajeno.anonimizado_en) == ("Ajeno", False, None)
    assert fresh(propio) is not None


def test_a_superuser_deletes_through_the_service(root, tenant):
    cliente = make_cliente(tenant, nombre="Error")
    act(root, "archivar", [cliente])

    response = act(root, "delete_selected", [cliente], post="yes")

    assert response.status_code == 302
    assert fresh(cliente) is None
    assert not ClienteEvento.objects.for_tenant(tenant).filter(cliente_id=cliente.pk).exists()
