"""The API's FilterSets build their form class once per class (``config.api.filters``), each
class its own, with its own filters' fields."""

import pytest

from clientes.filters import ClienteFilter
from cotizaciones.filters import CotizacionFilter
from ventas.filters import VentaFilter

FILTERSETS = [ClienteFilter, VentaFilter, CotizacionFilter]


@pytest.mark.parametrize("filterset_class", FILTERSETS)
def test_a_filtersets_form_class_is_built_once(filterset_class):
    first = filterset_class({}).get_form_class()

    assert filterset_class({"cliente": "1", "busqueda": "x"}).get_form_class() is first


@pytest.mark.parametrize("filterset_class", FILTERSETS)
def test_each_filterset_has_a_form_of_its_own_filters(filterset_class):
    form = filterset_class({}).form

    assert set(form.fields) == set(filterset_class.base_filters)


def test_the_forms_of_two_requests_hold_their_own_values():
    first = ClienteFilter({"busqueda": "ana"})
    second = ClienteFilter({"busqueda": "luis"})

    assert first.is_valid() and second.is_valid()
    assert first.form.cleaned_data["busqueda"] == "ana"
    assert second.form.cleaned_data["busqueda"] == "luis"


@pytest.mark.parametrize("filterset_class", FILTERSETS)
def test_the_form_class_is_the_one_its_instances_validate_with(filterset_class):
    assert filterset_class.form_class() is filterset_class({}).get_form_class()
