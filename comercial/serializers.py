"""Bodies shared by sales and quotations: the lines and the create body in, the document out."""

from rest_framework import serializers

from clientes.merge import MENSAJE_FUSIONADO, merged_into
from clientes.selectors import cliente_of_tenant
from comercial.fields import ExactDecimalField
from comercial.services import (
    MAX_CANTIDAD_EXCLUSIVE,
    MAX_DESCRIPCION,
    MAX_ITEMS,
    MAX_MOTIVO,
    MAX_PRECIO_EXCLUSIVE,
    NewItem,
    total_of,
)
from config.api.serializers import (
    FieldsBuiltOnceMixin,
    IdReferenceField,
    InputSerializer,
    OptionalTextField,
    ReferenceSerializer,
    TextField,
)
from core.errors import DomainError


class ItemInputSerializer(FieldsBuiltOnceMixin, serializers.Serializer):
    """One item of a create body."""

    default_error_messages = {"invalid": "Cada ítem debe ser un objeto JSON."}

    descripcion = TextField(max_length=MAX_DESCRIPCION)
    cantidad = ExactDecimalField(decimals=3, below=MAX_CANTIDAD_EXCLUSIVE, positive=True)
    precioUnitario = ExactDecimalField(
        decimals=2, below=MAX_PRECIO_EXCLUSIVE, source="precio_unitario"
    )

    def to_internal_value(self, data) -> NewItem:
        return NewItem(**super().to_internal_value(data))


MENSAJE_CLIENTE_ARCHIVADO = "El cliente está archivado"


class DocumentoInputSerializer(InputSerializer):
    """Body of POST /api/ventas (quotations add their validity). ``subtotal`` and ``total``
    are computed, never read; unknown fields are ignored. Needs ``context["tenant_id"]``."""

    clienteId = IdReferenceField(
        source="cliente", required=False, allow_null=True, help_text="Cliente de la empresa."
    )
    # The seller is whoever records it through the API; a body cannot name another.
    vendedor = serializers.HiddenField(default=serializers.CurrentUserDefault())
    notas = OptionalTextField(max_length=5000, multiline=True)
    items = serializers.ListField(
        child=ItemInputSerializer(),
        min_length=1,
        max_length=MAX_ITEMS,
        error_messages={
            "not_a_list": "Debe ser una lista de ítems.",
            "empty": "Se necesita al menos un ítem.",
            "min_length": "Se necesita al menos un ítem.",
            "max_length": f"Como máximo {MAX_ITEMS} ítems.",
            "required": "Este campo es obligatorio.",
            "null": "Este campo no puede ser nulo.",
        },
    )

    # Only for an id that names no customer: a malformed one is summarized as its detail says.
    error_summaries = {("clienteId", "does_not_exist"): "El cliente no existe en la empresa"}

    def validate_clienteId(self, value: int | None):
        if value is None:
            return None
        cliente = cliente_of_tenant(tenant_id=self.context["tenant_id"], pk=value)
        if cliente is None:
            survivor = merged_into(tenant_id=self.context["tenant_id"], pk=value)
            if survivor is not None:  # the id answers for another customer now
                raise serializers.ValidationError(
                    MENSAJE_FUSIONADO.format(id=survivor), code="merged"
                )
            raise serializers.ValidationError(
                "No existe un cliente con ese id en la empresa.", code="does_not_exist"
            )
        if cliente.archivado:  # what it has stays; nothing new is sold or quoted to it
            raise serializers.ValidationError(MENSAJE_CLIENTE_ARCHIVADO, code="archived")
        return cliente

    def validate_items(self, items: list[NewItem]) -> list[NewItem]:
        try:
            total_of(items)
        except DomainError as exc:
            raise serializers.ValidationError(exc.message) from exc
        return items


class MotivoInputSerializer(InputSerializer):
    """Body of the ``cancelar`` routes."""

    motivo = TextField(max_length=MAX_MOTIVO, multiline=True)

    error_summaries = {"motivo": "El motivo de la cancelación es obligatorio"}


# --- out ----------------------------------------------------------------------------------
class ItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    descripcion = serializers.CharField()
    cantidad = serializers.DecimalField(max_digits=12, decimal_places=3, coerce_to_string=False)
    precioUnitario = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=False, source="precio_unitario"
    )
    subtotal = serializers.DecimalField(max_digits=15, decimal_places=2, coerce_to_string=False)


class EventoSerializer(serializers.Serializer):
    tipo = serializers.CharField()
    usuario = ReferenceSerializer(allow_null=True)
    en = serializers.DateTimeField()
    motivo = serializers.CharField(allow_null=True)


class DocumentoRowSerializer(serializers.Serializer):
    """The fields a sale and a quotation share, as list rows and details show them."""

    id = serializers.IntegerField()
    numero = serializers.IntegerField()
    cliente = ReferenceSerializer(allow_null=True)
    vendedor = ReferenceSerializer(allow_null=True)
    total = serializers.DecimalField(max_digits=15, decimal_places=2, coerce_to_string=False)
    notas = serializers.CharField(allow_null=True)
    creadoEn = serializers.DateTimeField(source="creado_en")
    canceladaEn = serializers.DateTimeField(source="cancelada_en", allow_null=True)
    canceladaPor = ReferenceSerializer(source="cancelada_por", allow_null=True)
    motivoCancelacion = serializers.CharField(source="motivo_cancelacion", allow_null=True)


class DocumentoDetailMixin(serializers.Serializer):
    """What a detail adds to a list row: the items and the events, oldest first."""

    items = ItemSerializer(many=True, source="ordered_items")
    eventos = EventoSerializer(many=True, source="historia")


class ListRowMixin(serializers.Serializer):
    cantidadItems = serializers.IntegerField()
