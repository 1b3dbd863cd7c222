"""Editing sales and quotations: an open one changes only its notes; a closed one (cancelled
sale, converted or cancelled quotation) is read-only; nothing is deleted."""

import pytest

from cotizaciones.models import Cotizacion
from cotizaciones.services import cotizacion_cancel, cotizacion_convert
from tests.admin.helpers import COTIZACIONES, VENTAS, change_url, form_errors, form_fields
from tests.factories import make_cliente, make_cotizacion, make_user, make_venta
from ventas.models import Venta
from ventas.services import venta_cancel

pytestmark = pytest.mark.django_db


def change_post_data(client, url: str, **fields) -> dict:
    """What the browser submits from the change page (inline management forms and the ids of
    the shown rows), with ``fields`` typed in."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = {"_save": "Guardar"}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for form in formset.initial_forms:
            data[form.add_prefix("id")] = form.instance.pk
    data.update({key: str(value) for key, value in fields.items()})
    return data


def post_change(client, changelist, documento, **fields):
    url = change_url(changelist, documento.pk)
    return client.post(url, change_post_data(client, url, **fields))


def fresh(documento):
    return type(documento).objects.for_tenant(documento.tenant_id).get(pk=documento.pk)


def test_only_notes_are_editable_on_an_open_sale(staff, tenant):
    venta = make_venta(tenant, make_cliente(tenant))

    assert form_fields(staff.get(change_url(VENTAS, venta.pk))) == {"notas"}


def test_only_notes_are_editable_on_a_pending_quotation(staff, tenant):
    cotizacion = make_cotizacion(tenant)

    assert form_fields(staff.get(change_url(COTIZACIONES, cotizacion.pk))) == {"notas"}


def test_notes_of_an_open_sale_are_saved(staff, tenant):
    venta = make_venta(tenant)

    response = post_change(staff, VENTAS, venta, notas="Entregar el lunes")

    assert response.status_code == 302, form_errors(response)
    assert fresh(venta).notas == "Entregar el lunes"


def test_posted_number_total_customer_and_seller_change_nothing(staff, tenant):
    cliente = make_cliente(tenant)
    otro = make_cliente(tenant)
    venta = make_venta(tenant, cliente, total="100.00")

    response = post_change(
        staff,
        VENTAS,
        venta,
        notas="x",
        numero=99,
        total="1",
        cliente=otro.pk,
        vendedor=make_user(tenant).pk,
        cancelada_en_0="2026-01-01",
        cancelada_en_1="10:00:00",
    )

    assert response.status_code == 302, form_errors(response)
    stored = fresh(venta)
    assert (stored.numero, stored.total, stored.cliente_id) == (1, 100, cliente.pk)
    assert (stored.vendedor_id, stored.cancelada_en) == (None, None)


def test_posted_estado_of_a_quotation_changes_nothing(staff, tenant):
    cotizacion = make_cotizacion(tenant)

    response = post_change(
        staff, COTIZACIONES, cotizacion, notas="x", estado=Cotizacion.Estado.CONVERTIDA
    )

    assert response.status_code == 302, form_errors(response)
    assert fresh(cotizacion).estado == Cotizacion.Estado.PENDIENTE


def test_a_cancelled_sale_page_is_read_only(staff, tenant):
    venta = venta_cancel(venta=make_venta(tenant), por=None, motivo="Error")

    response = staff.get(change_url(VENTAS, venta.pk))

    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert b'name="_save"' not in response.content


def test_posting_to_a_cancelled_sale_changes_nothing(staff, tenant):
    venta = venta_cancel(venta=make_venta(tenant), por=None, motivo="Error")
    url = change_url(VENTAS, venta.pk)

    response = staff.post(url, {"notas": "Cambiada", "_save": "Guardar"})

    assert response.status_code == 403
    assert fresh(venta).notas is None


@pytest.mark.parametrize("close", ["convert", "cancel"])
def test_a_closed_quotation_is_read_only(staff, tenant, close):
    cotizacion = make_cotizacion(tenant)
    if close == "convert":
        cotizacion_convert(cotizacion=cotizacion)
    else:
        cotizacion_cancel(cotizacion=cotizacion, por=None, motivo="No")
    url = change_url(COTIZACIONES, cotizacion.pk)

    page = staff.get(url)
    response = staff.post(url, {"notas": "Cambiada", "_save": "Guardar"})

    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert response.status_code == 403
    assert fresh(cotizacion).notas is None


def test_editing_notes_of_a_sale_cancelled_meanwhile_is_refused(staff, tenant):
    venta = make_venta(tenant)
    url = change_url(VENTAS, venta.pk)
    data = change_post_data(staff, url, notas="Tarde")
    venta_cancel(venta=venta, por=None, motivo="Error")  # in another tab, before saving

    response = staff.post(url, data)

    assert response.status_code == 403
    assert fresh(venta).notas is None


def test_the_change_page_shows_the_history(staff, tenant):
    venta = venta_cancel(venta=make_venta(tenant), por=None, motivo="Error de caja")

    response = staff.get(change_url(VENTAS, venta.pk))

    eventos = response.context["inline_admin_formsets"][1].formset
    assert [form.instance.tipo for form in eventos.forms] == ["CREADA", "CANCELADA"]
    assert "Error de caja" in response.content.decode()


@pytest.mark.parametrize(("changelist", "model"), [(VENTAS, Venta), (COTIZACIONES, Cotizacion)])
def test_nobody_deletes_documents(staff, root, tenant, changelist, model):
    documento = (make_venta if model is Venta else make_cotizacion)(tenant)

    for client in (staff, root):
        response = client.post(f"{changelist}{documento.pk}/delete/", {"post": "yes"})
        assert response.status_code == 403
    assert model.objects.for_tenant(tenant).filter(pk=documento.pk).exists()


def test_another_tenant_document_page_is_not_found(staff, other_tenant):
    ajena = make_venta(other_tenant, make_cliente(other_tenant, nombre="Cliente Ajeno"))

    response = staff.get(change_url(VENTAS, ajena.pk))

    assert response.status_code in {302, 404}
    assert b"Cliente Ajeno" not in response.content


def test_posting_notes_to_another_tenant_sale_changes_nothing(staff, other_tenant):
    ajena = make_venta(other_tenant)

    response = staff.post(change_url(VENTAS, ajena.pk), {"notas": "Robada", "_save": "Guardar"})

    assert response.status_code in {302, 404}
    assert fresh(ajena).notas is None


def test_a_converted_sale_page_names_its_quotation(staff, tenant):
    cotizacion = make_cotizacion(tenant)
    venta, _ = cotizacion_convert(cotizacion=cotizacion)

    response = staff.get(change_url(VENTAS, venta.pk))

    assert response.status_code == 200
    assert f"Cotización #{cotizacion.numero}" in response.content.decode()
