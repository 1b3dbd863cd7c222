"""A sale or a quotation as its detail answers it, built from the instance: what
``VentaSerializer`` and ``CotizacionSerializer`` write (``tests/comercial/test_representation.py``
compares them), without building a serializer's fields for every answer. Those serializers
nest seven more (people, items, events), and copying their fields was a fifth of a
``POST /api/ventas``'s Python (bench/README.md). The serializers still document the answers
in the OpenAPI schema."""

from comercial.models import Documento
from config.api.expressions import iso_utc


def as_api_answer(documento: Documento) -> dict:
    """The shared fields, the kind's ``own_values()``, the items in the order sent
    (``ordered_items``) and the events oldest first (``historia``): the detail's answer."""
    return {
        "id": documento.pk,
        "numero": documento.numero,
        "cliente": _reference(documento, "cliente"),
        "vendedor": _reference(documento, "vendedor"),
        "total": documento.total,
        "notas": documento.notas,
        "creadoEn": iso_utc(documento.creado_en),
        "canceladaEn": iso_utc(documento.cancelada_en),
        "canceladaPor": _reference(documento, "cancelada_por"),
        "motivoCancelacion": documento.motivo_cancelacion,
        **documento.own_values(),
        "items": [
            {
                "id": item.pk,
                "descripcion": item.descripcion,
                "cantidad": item.cantidad,
                "precioUnitario": item.precio_unitario,
                "subtotal": item.subtotal,
            }
            for item in documento.ordered_items
        ],
        "eventos": [
            {
                "tipo": evento.tipo,
                "usuario": _reference(evento, "usuario"),
                "en": iso_utc(evento.en),
                "motivo": evento.motivo,
            }
            for evento in documento.historia
        ],
    }


def _reference(instance, relation: str) -> dict | None:
    """``{"id", "nombre"}`` of a customer or user the row names, or None."""
    if getattr(instance, f"{relation}_id") is None:
        return None
    related = getattr(instance, relation)
    return {"id": related.pk, "nombre": related.nombre}
