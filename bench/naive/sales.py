"""The naive sales: ``ModelViewSet``s with nested ``ModelSerializer``s, DRF's writable nested
create, one ``objects.create`` per line and event, one relation loaded at a time
(bench/README.md)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bench.naive.customers import NaiveClienteViewSet
from clientes.models import Cliente
from comercial.models import Numeracion
from cotizaciones.models import Cotizacion, CotizacionEvento
from tenants.models import User
from ventas.models import Venta, VentaEvento, VentaItem


class NaiveReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nombre = serializers.CharField()


class NaiveItemSerializer(serializers.ModelSerializer):
    precioUnitario = serializers.DecimalField(
        max_digits=14, decimal_places=2, source="precio_unitario"
    )

    class Meta:
        model = VentaItem
        fields = ["id", "descripcion", "cantidad", "precioUnitario", "subtotal"]
        read_only_fields = ["subtotal"]


class NaiveEventoSerializer(serializers.ModelSerializer):
    usuario = NaiveReferenceSerializer(read_only=True)

    class Meta:
        model = VentaEvento
        fields = ["tipo", "usuario", "en", "motivo"]


class NaiveClienteField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Cliente.objects.for_tenant(self.context["request"].user.tenant_id)


DOCUMENTO_FIELDS = [
    "id", "numero", "cliente", "clienteId", "vendedor", "total", "notas", "creadoEn",
    "canceladaEn", "canceladaPor", "motivoCancelacion",
]  # fmt: skip


class NaiveVentaSerializer(serializers.ModelSerializer):
    cliente = NaiveReferenceSerializer(read_only=True)
    clienteId = NaiveClienteField(
        source="cliente", write_only=True, required=False, allow_null=True
    )
    vendedor = NaiveReferenceSerializer(read_only=True)
    creadoEn = serializers.DateTimeField(source="creado_en", read_only=True)
    canceladaEn = serializers.DateTimeField(source="cancelada_en", read_only=True)
    canceladaPor = NaiveReferenceSerializer(source="cancelada_por", read_only=True)
    motivoCancelacion = serializers.CharField(source="motivo_cancelacion", read_only=True)
    cotizacionId = serializers.SerializerMethodField()
    items = NaiveItemSerializer(many=True)
    eventos = NaiveEventoSerializer(many=True, read_only=True)

    class Meta:
        model = Venta
        fields = [*DOCUMENTO_FIELDS, "cotizacionId", "items", "eventos"]
        read_only_fields = ["numero", "total"]

    def get_cotizacionId(self, venta):
        # The link is unique per tenant only, so Django cannot select_related its reverse
        # side: the list annotates it; a single sale reads it. (``Venta`` declares the
        # attribute with a default, so only the instance's own value counts.)
        if "cotizacion_origen_id" in vars(venta):
            return venta.cotizacion_origen_id
        origen = Cotizacion.objects.for_tenant(venta.tenant_id).filter(venta=venta)
        return origen.values_list("id", flat=True).first()

    def create(self, validated_data):
        items = validated_data.pop("items")
        tenant, vendedor = validated_data["tenant"], validated_data["vendedor"]
        for item in items:
            item["subtotal"] = (item["cantidad"] * item["precio_unitario"]).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
        with transaction.atomic():
            venta = Venta.objects.create(
                numero=next_numero(tenant, "ventas.venta"),
                total=sum(item["subtotal"] for item in items),
                **validated_data,
            )
            for item in items:
                VentaItem.objects.create(tenant=tenant, venta=venta, **item)
            VentaEvento.objects.create(
                tenant=tenant, venta=venta, tipo="CREADA", usuario=vendedor, en=venta.creado_en
            )
        return venta


class NaiveVentaListSerializer(NaiveVentaSerializer):
    cantidadItems = serializers.IntegerField(source="items.count", read_only=True)

    class Meta(NaiveVentaSerializer.Meta):
        fields = [*DOCUMENTO_FIELDS, "cotizacionId", "cantidadItems"]


class NaiveCotizacionSerializer(NaiveVentaSerializer):
    validaHasta = serializers.DateTimeField(source="valida_hasta", read_only=True)
    convertidaEn = serializers.DateTimeField(source="convertida_en", read_only=True)
    ventaId = serializers.PrimaryKeyRelatedField(source="venta", read_only=True)
    vencida = serializers.BooleanField(read_only=True)
    cotizacionId = None

    class Meta:
        model = Cotizacion
        fields = [*DOCUMENTO_FIELDS, "estado", "vencida", "validaHasta", "convertidaEn"]
        fields += ["ventaId", "items", "eventos"]


class NaiveCotizacionListSerializer(NaiveCotizacionSerializer):
    cantidadItems = serializers.IntegerField(source="items.count", read_only=True)

    class Meta(NaiveCotizacionSerializer.Meta):
        fields = [*DOCUMENTO_FIELDS, "cantidadItems", "estado", "vencida", "validaHasta"]
        fields += ["convertidaEn", "ventaId"]


def next_numero(tenant, tipo: str) -> int:
    """The counter row, locked, incremented and saved (call inside a transaction)."""
    numeracion, _ = (
        Numeracion.objects.for_tenant(tenant)
        .select_for_update()
        .get_or_create(tenant=tenant, tipo=tipo)
    )
    numeracion.ultimo += 1
    numeracion.save()
    return numeracion.ultimo


class NaiveDocumentoViewSet(viewsets.ModelViewSet):
    http_method_names = ["get", "post", "head", "options"]
    model = None
    list = NaiveClienteViewSet.list

    def get_queryset(self):
        user = self.request.user
        queryset = self.model.objects.for_tenant(user.tenant_id).order_by("-id")
        if user.rol != User.Rol.ADMIN:
            queryset = queryset.filter(vendedor=user)
        return queryset


class NaiveVentaViewSet(NaiveDocumentoViewSet):
    model = Venta

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("cliente", "vendedor", "cancelada_por")
            .annotate(cotizacion_origen_id=F("cotizacion_origen__id"))
        )

    def get_serializer_class(self):
        return NaiveVentaListSerializer if self.action == "list" else NaiveVentaSerializer

    def perform_create(self, serializer):
        serializer.save(tenant=self.request.user.tenant, vendedor=self.request.user)


class NaiveCotizacionViewSet(NaiveDocumentoViewSet):
    model = Cotizacion
    serializer_class = NaiveCotizacionSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":  # the conversion locks the row: no outer joins there
            return queryset
        return queryset.select_related("cliente", "vendedor", "cancelada_por")

    def get_serializer_class(self):
        return NaiveCotizacionListSerializer if self.action == "list" else NaiveCotizacionSerializer

    @action(detail=True, methods=["post"])
    def convertir(self, request, pk=None):
        with transaction.atomic():
            cotizacion = get_object_or_404(self.get_queryset().select_for_update(), pk=pk)
            if cotizacion.estado != "PENDIENTE" or cotizacion.vencida:
                return Response(
                    {"error": f"La cotización no se puede convertir ({cotizacion.estado})"},
                    status=status.HTTP_409_CONFLICT,
                )
            notas = f"Venta convertida desde cotización #{cotizacion.numero}"
            if cotizacion.notas:
                notas += f" — {cotizacion.notas}"
            tenant, user = cotizacion.tenant, request.user
            venta = Venta.objects.create(
                tenant=tenant,
                numero=next_numero(tenant, "ventas.venta"),
                cliente=cotizacion.cliente,
                vendedor=cotizacion.vendedor,
                total=cotizacion.total,
                notas=notas,
            )
            copied = ("descripcion", "cantidad", "precio_unitario", "subtotal")
            for item in cotizacion.items.all():
                line = {name: getattr(item, name) for name in copied}
                VentaItem.objects.create(tenant=tenant, venta=venta, **line)
            en = venta.creado_en
            VentaEvento.objects.create(
                tenant=tenant, venta=venta, tipo="CREADA", usuario=user, en=en
            )
            cotizacion.estado, cotizacion.convertida_en, cotizacion.venta = "CONVERTIDA", en, venta
            cotizacion.save()
            CotizacionEvento.objects.create(
                tenant=tenant, cotizacion=cotizacion, tipo="CONVERTIDA", usuario=user, en=en
            )
        body = {
            "venta": NaiveVentaSerializer(venta).data,
            "cotizacion": NaiveCotizacionSerializer(cotizacion).data,
        }
        return Response(body, status=status.HTTP_201_CREATED)
