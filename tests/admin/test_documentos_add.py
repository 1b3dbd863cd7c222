"""Adding sales and quotations in the admin goes through the services: numbers, events,
sellers and validity follow the API's rules, and a refusal is a form error, never a 500."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comercial.models import Evento
from cotizaciones.models import Cotizacion
from tenants.models import User
from tests.admin.helpers import (
    COTIZACIONES,
    VENTAS,
    cotizacion_data,
    form_errors,
    form_fields,
    venta_data,
)
from tests.factories import make_cliente, make_user, make_venta
from ventas.models import Venta

pytestmark = pytest.mark.django_db

LINE = [("Cemento gris 50 kg", "2.5", "32900")]


def add_venta(client, **extra):
    return client.post(f"{VENTAS}add/", venta_data(lines=LINE, **extra))


def add_cotizacion(client, **extra):
    return client.post(f"{COTIZACIONES}add/", cotizacion_data(lines=LINE, **extra))


def test_sales_added_in_the_admin_are_numbered_1_2_3_per_tenant(staff, tenant, other_tenant):
    make_venta(other_tenant)  # another tenant's numbers are its own

    for _ in range(3):
        assert add_venta(staff).status_code == 302

    numeros = Venta.objects.for_tenant(tenant).order_by("id").values_list("numero", flat=True)
    assert list(numeros) == [1, 2, 3]


def test_sale_numbers_continue_after_those_made_through_the_api(staff, tenant):
    make_venta(tenant)

    response = add_venta(staff)

    assert response.status_code == 302, form_errors(response)
    assert Venta.objects.for_tenant(tenant).order_by("-id").first().numero == 2


def test_quotations_are_numbered_apart_from_sales(staff, tenant):
    make_venta(tenant)

    add_cotizacion(staff)
    add_cotizacion(staff)

    numeros = Cotizacion.objects.for_tenant(tenant).order_by("id").values_list("numero", flat=True)
    assert list(numeros) == [1, 2]


def test_an_added_sale_has_a_creada_event_by_the_admin_user(staff, tenant, tenant_admin):
    add_venta(staff)

    venta = Venta.objects.for_tenant(tenant).get()
    eventos = list(venta.eventos.all())
    assert [(e.tipo, e.usuario_id) for e in eventos] == [(Evento.Tipo.CREADA, tenant_admin.pk)]
    assert eventos[0].en == venta.creado_en


def test_an_added_quotation_has_a_creada_event(staff, tenant, tenant_admin):
    add_cotizacion(staff)

    cotizacion = Cotizacion.objects.for_tenant(tenant).get()
    assert [e.tipo for e in cotizacion.eventos.all()] == [Evento.Tipo.CREADA]


def test_seller_defaults_to_the_admin_user(staff, tenant, tenant_admin):
    add_venta(staff)

    assert Venta.objects.for_tenant(tenant).get().vendedor_id == tenant_admin.pk


def test_a_chosen_seller_of_the_tenant_is_kept(staff, tenant):
    ana = make_user(tenant, nombre="Ana", rol=User.Rol.USUARIO)

    response = add_venta(staff, vendedor=ana.pk)

    assert response.status_code == 302, form_errors(response)
    assert Venta.objects.for_tenant(tenant).get().vendedor_id == ana.pk


def test_superuser_of_no_tenant_adds_a_sale_without_a_seller(root, tenant):
    response = add_venta(root, tenant=tenant.pk)

    assert response.status_code == 302, form_errors(response)
    venta = Venta.objects.for_tenant(tenant).get()
    assert (venta.numero, venta.vendedor_id) == (1, None)


def test_state_number_and_total_are_not_in_the_add_forms(staff):
    for url in (f"{VENTAS}add/", f"{COTIZACIONES}add/"):
        fields = form_fields(staff.get(url))
        assert fields.isdisjoint(
            {"numero", "total", "creado_en", "estado", "venta", "convertida_en"}
        ), url
        assert fields.isdisjoint({"cancelada_en", "cancelada_por", "motivo_cancelacion"}), url


def test_posted_number_total_and_state_are_ignored(staff, tenant, tenant_admin):
    response = add_cotizacion(
        staff,
        numero=99,
        total="1",
        estado=Cotizacion.Estado.CONVERTIDA,
        cancelada_por=tenant_admin.pk,
        motivo_cancelacion="no",
    )

    assert response.status_code == 302, form_errors(response)
    cotizacion = Cotizacion.objects.for_tenant(tenant).get()
    assert (cotizacion.numero, cotizacion.total) == (1, 82250)
    assert cotizacion.estado == Cotizacion.Estado.PENDIENTE
    assert (cotizacion.cancelada_por_id, cotizacion.motivo_cancelacion) == (None, None)


def test_empty_notes_are_stored_as_null_and_notes_are_trimmed(staff, tenant):
    add_venta(staff, notas="   ")
    add_venta(staff, notas="  Entregar el lunes ")

    notas = Venta.objects.for_tenant(tenant).order_by("id").values_list("notas", flat=True)
    assert list(notas) == [None, "Entregar el lunes"]


def test_quotation_without_validity_is_valid_for_7_days(staff, tenant):
    before = timezone.now()

    add_cotizacion(staff)

    cotizacion = Cotizacion.objects.for_tenant(tenant).get()
    assert before + timedelta(days=7) <= cotizacion.valida_hasta
    assert cotizacion.valida_hasta <= timezone.now() + timedelta(days=7)


def test_quotation_keeps_a_given_validity(staff, tenant):
    valida_hasta = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    typed = valida_hasta.astimezone(tenant.tz)  # the form reads the shop's wall clock

    response = add_cotizacion(
        staff,
        valida_hasta_0=typed.strftime("%Y-%m-%d"),
        valida_hasta_1=typed.strftime("%H:%M:%S"),
    )

    assert response.status_code == 302, form_errors(response)
    assert Cotizacion.objects.for_tenant(tenant).get().valida_hasta == valida_hasta


def test_a_past_validity_refused_by_the_service_is_a_form_error(staff, tenant):
    ayer = timezone.now() - timedelta(days=1)

    response = add_cotizacion(
        staff,
        notas="Se conserva",
        valida_hasta_0=ayer.strftime("%Y-%m-%d"),
        valida_hasta_1=ayer.strftime("%H:%M:%S"),
    )

    assert "posterior a ahora" in str(form_errors(response))
    assert response.context["adminform"].form["notas"].value() == "Se conserva"
    assert not Cotizacion.objects.for_tenant(tenant).exists()


def test_a_refused_create_gives_its_number_back(staff, tenant):
    ayer = timezone.now() - timedelta(days=1)
    add_cotizacion(staff, valida_hasta_0=ayer.strftime("%Y-%m-%d"), valida_hasta_1="10:00:00")

    add_cotizacion(staff)

    assert Cotizacion.objects.for_tenant(tenant).get().numero == 1


def test_another_tenant_customer_is_refused_and_nothing_is_numbered(staff, tenant, other_tenant):
    ajeno = make_cliente(other_tenant, nombre="Ajeno")

    response = add_venta(staff, cliente=ajeno.pk)

    assert "cliente" in form_errors(response)
    assert not Venta.objects.for_tenant(tenant).exists()
    assert not Venta.objects.for_tenant(other_tenant).exists()
