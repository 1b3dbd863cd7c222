"""The admin actions "Cancelar" (asking for the reason) and "Convertir en venta": they go
through the services, so the API's rules hold, and every row's outcome is reported."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from comercial.models import Evento
from cotizaciones.models import Cotizacion
from cotizaciones.services import cotizacion_cancel, cotizacion_convert
from tenants.models import User
from tests.admin.conftest import logged_in
from tests.admin.helpers import COTIZACIONES, VENTAS
from tests.factories import make_cliente, make_cotizacion, make_venta
from ventas.models import Venta
from ventas.services import venta_cancel

pytestmark = pytest.mark.django_db


def act(client, changelist, action, documentos, **extra):
    return client.post(
        changelist,
        {"action": action, "_selected_action": [d.pk for d in documentos], **extra},
    )


def cancel(client, changelist, documentos, motivo):
    return act(client, changelist, "cancelar", documentos, post="yes", motivo=motivo)


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def fresh(documento):
    return type(documento).objects.for_tenant(documento.tenant_id).get(pk=documento.pk)


def event_types(documento) -> list[str]:
    return [e.tipo for e in fresh(documento).eventos.all()]


def test_cancel_action_asks_for_the_reason(staff, tenant):
    venta = make_venta(tenant, make_cliente(tenant, nombre="José Álvarez"))

    response = act(staff, VENTAS, "cancelar", [venta])

    assert response.status_code == 200
    assert "admin/documentos/cancelar.html" in [t.name for t in response.templates]
    assert "motivo" in response.context["form"].fields
    assert "José Álvarez" in response.content.decode()
    assert fresh(venta).cancelada_en is None


@pytest.mark.parametrize("motivo", ["", "   ", "x" * 501])
def test_cancel_action_refuses_a_missing_or_too_long_reason(staff, tenant, motivo):
    venta = make_venta(tenant)

    response = cancel(staff, VENTAS, [venta], motivo)

    assert response.status_code == 200
    assert "motivo" in response.context["form"].errors
    assert fresh(venta).cancelada_en is None


def test_cancel_action_cancels_the_sale_with_the_reason(staff, tenant, tenant_admin):
    venta = make_venta(tenant)

    response = cancel(staff, VENTAS, [venta], "  Cobro duplicado ")

    assert response.status_code == 302
    stored = fresh(venta)
    assert stored.cancelada_en is not None
    assert (stored.cancelada_por_id, stored.motivo_cancelacion) == (
        tenant_admin.pk,
        "Cobro duplicado",
    )
    assert messages_of(response) == [("success", f"Venta #{venta.numero} cancelada.")]


def test_cancel_action_records_a_cancelada_event(staff, tenant, tenant_admin):
    venta = make_venta(tenant)

    cancel(staff, VENTAS, [venta], "Cobro duplicado")

    evento = fresh(venta).eventos.get(tipo=Evento.Tipo.CANCELADA)
    assert (evento.usuario_id, evento.motivo) == (tenant_admin.pk, "Cobro duplicado")
    assert event_types(venta) == ["CREADA", "CANCELADA"]


def test_cancel_action_reports_the_same_day_rule_for_an_old_sale(staff, tenant):
    vieja = make_venta(tenant)
    Venta.objects.for_tenant(tenant).filter(pk=vieja.pk).update(
        creado_en=timezone.now() - timedelta(days=2)
    )

    response = cancel(staff, VENTAS, [vieja], "Tarde")

    assert fresh(vieja).cancelada_en is None
    assert messages_of(response) == [
        ("error", "Venta #1: Solo se pueden cancelar ventas registradas el mismo día")
    ]


def test_cancel_action_reports_each_row(staff, tenant):
    ya = venta_cancel(venta=make_venta(tenant), por=None, motivo="Antes")
    nueva = make_venta(tenant)

    response = cancel(staff, VENTAS, [ya, nueva], "Ahora")

    assert fresh(nueva).cancelada_en is not None
    assert fresh(ya).motivo_cancelacion == "Antes"
    assert sorted(messages_of(response)) == [
        ("error", f"Venta #{ya.numero}: La venta ya está cancelada"),
        ("success", f"Venta #{nueva.numero} cancelada."),
    ]


def test_superuser_of_no_tenant_cancels_as_the_platform(root, tenant):
    venta = make_venta(tenant)

    cancel(root, VENTAS, [venta], "Soporte")

    stored = fresh(venta)
    assert stored.cancelada_en is not None
    assert stored.cancelada_por_id is None


def test_a_member_without_the_admin_role_is_refused_by_the_service(tenant, superuser):
    # A superuser who is a USUARIO of the tenant: the admin lets them in, the service does not.
    superuser.tenant, superuser.rol = tenant, User.Rol.USUARIO
    superuser.save(update_fields=["tenant", "rol"])
    venta = make_venta(tenant)

    response = cancel(logged_in(superuser), VENTAS, [venta], "Error")

    assert fresh(venta).cancelada_en is None
    assert messages_of(response) == [
        ("error", "Venta #1: Solo un administrador puede cancelar ventas")
    ]


def test_cancel_action_cancels_a_pending_quotation(staff, tenant):
    cotizacion = make_cotizacion(tenant)

    cancel(staff, COTIZACIONES, [cotizacion], "El cliente desistió")

    stored = fresh(cotizacion)
    assert stored.estado == Cotizacion.Estado.CANCELADA
    assert stored.motivo_cancelacion == "El cliente desistió"
    assert event_types(cotizacion) == ["CREADA", "CANCELADA"]


def test_cancel_action_refuses_a_converted_quotation(staff, tenant):
    cotizacion = make_cotizacion(tenant)
    cotizacion_convert(cotizacion=cotizacion)

    response = cancel(staff, COTIZACIONES, [cotizacion], "Tarde")

    assert fresh(cotizacion).estado == Cotizacion.Estado.CONVERTIDA
    assert [level for level, _ in messages_of(response)] == ["error"]
    assert "Cancela la venta resultante" in messages_of(response)[0][1]


def test_convert_action_converts_a_pending_quotation(staff, tenant, tenant_admin):
    cliente = make_cliente(tenant)
    cotizacion = make_cotizacion(tenant, cliente, total="250.00")

    response = act(staff, COTIZACIONES, "convertir", [cotizacion])

    stored = fresh(cotizacion)
    venta = Venta.objects.for_tenant(tenant).get()
    assert stored.estado == Cotizacion.Estado.CONVERTIDA
    assert (stored.venta_id, venta.cotizacion_origen.pk) == (venta.pk, cotizacion.pk)
    assert (venta.cliente_id, venta.total) == (cliente.pk, stored.total)
    assert messages_of(response) == [("success", "Cotización #1 convertida en Venta #1.")]


def test_convert_action_records_a_convertida_event(staff, tenant, tenant_admin):
    cotizacion = make_cotizacion(tenant)

    act(staff, COTIZACIONES, "convertir", [cotizacion])

    evento = fresh(cotizacion).eventos.get(tipo=Evento.Tipo.CONVERTIDA)
    assert evento.usuario_id == tenant_admin.pk


def test_convert_action_reports_expired_and_cancelled_quotations(staff, tenant):
    vencida = make_cotizacion(tenant)
    Cotizacion.objects.for_tenant(tenant).filter(pk=vencida.pk).update(
        valida_hasta=timezone.now() - timedelta(minutes=1)
    )
    cancelada = cotizacion_cancel(cotizacion=make_cotizacion(tenant), por=None, motivo="No")

    response = act(staff, COTIZACIONES, "convertir", [vencida, cancelada])

    assert not Venta.objects.for_tenant(tenant).exists()
    assert sorted(messages_of(response)) == [
        ("error", "Cotización #1: La cotización está vencida. Cancélala y crea una nueva."),
        ("error", "Cotización #2: La cotización está cancelada"),
    ]


def test_sales_have_no_convert_action(staff):
    choices = staff.get(VENTAS).context["action_form"].fields["action"].choices

    assert [value for value, _ in choices if value] == ["cancelar"]


def test_cancel_action_with_another_tenant_id_changes_nothing(staff, tenant, other_tenant):
    ajena = make_venta(other_tenant)

    act(staff, VENTAS, "cancelar", [ajena])
    response = cancel(staff, VENTAS, [ajena], "Ajena")

    assert response.status_code == 302
    assert fresh(ajena).cancelada_en is None
    assert event_types(ajena) == ["CREADA"]


def test_cancel_page_lists_only_own_documents(staff, tenant, other_tenant):
    mia = make_venta(tenant)
    ajena = make_venta(other_tenant, make_cliente(other_tenant, nombre="Cliente Ajeno"))

    response = act(staff, VENTAS, "cancelar", [mia, ajena])

    assert [d.pk for d in response.context["rows"]] == [mia.pk]
    assert b"Cliente Ajeno" not in response.content


def test_convert_action_with_another_tenant_id_changes_nothing(staff, other_tenant):
    ajena = make_cotizacion(other_tenant)

    act(staff, COTIZACIONES, "convertir", [ajena])

    assert fresh(ajena).estado == Cotizacion.Estado.PENDIENTE
    assert not Venta.objects.for_tenant(other_tenant).exists()
