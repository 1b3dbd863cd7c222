"""Input serializers build their fields once per class (``FieldsBuiltOnceMixin``): each
instance still validates with fields of its own, and nothing of one request reaches another."""

import threading
from decimal import Decimal
from types import SimpleNamespace

from rest_framework import serializers

from clientes.serializers import ClienteInputSerializer, ClienteSerializer
from config.api.serializers import FieldsBuiltOnceMixin, TextField
from cotizaciones.serializers import CotizacionInputSerializer
from ventas.serializers import VentaInputSerializer

ITEM = {"descripcion": "Tornillos", "cantidad": 2, "precioUnitario": 1500}


def _documento(serializer_class, body: dict, *, user) -> serializers.Serializer:
    request = SimpleNamespace(user=user)
    return serializer_class(data=body, context={"request": request, "tenant_id": 1})


def test_each_instance_binds_fields_of_its_own():
    first, second = ClienteInputSerializer(data={}), ClienteInputSerializer(data={})

    for name, field in first.fields.items():
        assert field is not second.fields[name]
        assert field.parent is first
        assert second.fields[name].parent is second


def test_the_fields_are_built_once_per_class():
    built = []

    class Counted(FieldsBuiltOnceMixin, serializers.Serializer):
        nombre = TextField(max_length=20)

        def build_fields(self):
            built.append(1)
            return super().build_fields()

    for _ in range(3):
        assert Counted(data={"nombre": "Ana"}).is_valid()
    assert len(built) == 1


def test_a_subclass_builds_its_own_fields():
    venta = _documento(VentaInputSerializer, {"items": [ITEM]}, user=None)
    cotizacion = _documento(CotizacionInputSerializer, {"items": [ITEM]}, user=None)

    assert "validaHasta" in cotizacion.fields
    assert "validaHasta" not in venta.fields


def test_a_field_holding_other_fields_is_rebuilt_for_each_instance():
    first = _documento(VentaInputSerializer, {"items": [ITEM]}, user=None)
    second = _documento(VentaInputSerializer, {"items": [ITEM]}, user=None)

    assert first.fields["items"].child is not second.fields["items"].child
    assert first.fields["items"].child.root is first


def test_an_invalid_body_leaves_nothing_for_the_next_one():
    refused = ClienteInputSerializer(data={"nombre": "", "email": "no es un email"})
    accepted = ClienteInputSerializer(data={"nombre": "Ana", "email": "ana@example.com"})

    assert not refused.is_valid()
    assert accepted.is_valid(), accepted.errors
    assert set(refused.errors) == {"nombre", "email"}
    assert accepted.validated_data["email"] == "ana@example.com"


def test_each_instance_reads_its_own_context():
    ana, luis = SimpleNamespace(pk=1), SimpleNamespace(pk=2)
    for_ana = _documento(VentaInputSerializer, {"items": [ITEM]}, user=ana)
    for_luis = _documento(VentaInputSerializer, {"items": [ITEM]}, user=luis)

    assert for_ana.is_valid(), for_ana.errors
    assert for_luis.is_valid(), for_luis.errors
    assert for_ana.validated_data["vendedor"] is ana
    assert for_luis.validated_data["vendedor"] is luis


def test_a_partial_instance_requires_nothing_the_next_full_one_requires():
    partial = ClienteInputSerializer(data={"notas": "x"}, partial=True)
    full = ClienteInputSerializer(data={"notas": "x"})

    assert partial.is_valid(), partial.errors
    assert not full.is_valid()
    assert "nombre" in full.errors


def test_answers_write_each_instance_its_own_values():
    cliente = SimpleNamespace(
        id=7, nombre="Ana", documento=None, email=None, telefono=None, direccion=None,
        notas=None, archivado=False, creado_en=None, actualizado_en=None, anonimizado_en=None,
    )  # fmt: skip
    otro = SimpleNamespace(**{**vars(cliente), "id": 8, "nombre": "Luis"})

    assert ClienteSerializer(cliente).data["nombre"] == "Ana"
    assert ClienteSerializer(otro).data["nombre"] == "Luis"


THREADS = 8


def test_serializers_validating_at_once_in_threads_keep_to_their_own_bodies():
    failures, start = [], threading.Barrier(THREADS)

    def validate(worker: int) -> None:
        start.wait()
        for turn in range(200):
            cantidad = worker * 1000 + turn + 1
            body = {"items": [{**ITEM, "cantidad": cantidad}]}
            if turn % 3 == 0:
                body["items"][0]["precioUnitario"] = "no es un número"
            serializer = _documento(VentaInputSerializer, body, user=SimpleNamespace(pk=worker))
            valid = serializer.is_valid()
            if turn % 3 == 0:
                expected = not valid and "items" in serializer.errors
            else:
                item = serializer.validated_data["items"][0] if valid else None
                expected = valid and item.cantidad == Decimal(cantidad)
                expected = expected and serializer.validated_data["vendedor"].pk == worker
            if not expected:
                failures.append((worker, turn, serializer.errors))

    workers = [threading.Thread(target=validate, args=(n,)) for n in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
