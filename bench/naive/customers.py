"""The naive customers: a ``ModelViewSet`` with ``ModelSerializer``, ``icontains`` searches,
slicing for ``limite`` and a historial built by a nested serializer (bench/README.md)."""

from django.db.models import Max, Q, Sum
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from clientes.models import Cliente
from clientes.representation import WIRE_NAMES
from cotizaciones.models import Cotizacion
from ventas.models import Venta


class NaiveClienteSerializer(serializers.ModelSerializer):
    creadoEn = serializers.DateTimeField(source="creado_en", read_only=True)
    actualizadoEn = serializers.DateTimeField(source="actualizado_en", read_only=True)
    anonimizadoEn = serializers.DateTimeField(source="anonimizado_en", read_only=True)

    class Meta:
        model = Cliente
        fields = list(WIRE_NAMES)  # the service's own field list (clientes.representation)


class NaiveVentaSerializer(serializers.ModelSerializer):
    creadoEn = serializers.DateTimeField(source="creado_en", read_only=True)
    canceladaEn = serializers.DateTimeField(source="cancelada_en", read_only=True)

    class Meta:
        model = Venta
        fields = ["id", "total", "notas", "creadoEn", "canceladaEn"]


class NaiveCotizacionSerializer(serializers.ModelSerializer):
    validaHasta = serializers.DateTimeField(source="valida_hasta", read_only=True)
    creadoEn = serializers.DateTimeField(source="creado_en", read_only=True)

    class Meta:
        model = Cotizacion
        fields = ["id", "total", "notas", "estado", "validaHasta", "creadoEn"]


class NaiveHistorialSerializer(NaiveClienteSerializer):
    ventas = serializers.SerializerMethodField()
    cotizaciones = serializers.SerializerMethodField()

    class Meta(NaiveClienteSerializer.Meta):
        fields = [*NaiveClienteSerializer.Meta.fields, "ventas", "cotizaciones"]

    def get_ventas(self, obj):
        ventas = obj.ventas.order_by("-creado_en", "-id")[:20]
        return NaiveVentaSerializer(ventas, many=True).data

    def get_cotizaciones(self, obj):
        pendientes = obj.cotizaciones.filter(estado="PENDIENTE").order_by("-creado_en", "-id")
        return NaiveCotizacionSerializer(pendientes[:10], many=True).data

    def to_representation(self, obj):
        data = super().to_representation(obj)
        data["_count"] = {"ventas": obj.ventas.count(), "cotizaciones": obj.cotizaciones.count()}
        no_canceladas = obj.ventas.filter(cancelada_en__isnull=True)
        total = no_canceladas.aggregate(total=Sum("total"))["total"]
        ultima = no_canceladas.aggregate(ultima=Max("creado_en"))["ultima"]
        data["resumen"] = {
            "totalComprado": float(total or 0),
            "ultimaCompra": serializers.DateTimeField().to_representation(ultima)
            if ultima
            else None,
        }
        return data


class NaiveClienteViewSet(viewsets.ModelViewSet):
    serializer_class = NaiveClienteSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        queryset = Cliente.objects.for_tenant(self.request.user.tenant_id).order_by("-id")
        busqueda = self.request.query_params.get("busqueda")
        if busqueda:
            queryset = queryset.filter(
                Q(nombre__icontains=busqueda)
                | Q(documento__icontains=busqueda)
                | Q(email__icontains=busqueda)
                | Q(telefono__icontains=busqueda)
            )
        return queryset

    def list(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        if cursor := request.query_params.get("cursor"):
            queryset = queryset.filter(id__lt=int(cursor))
        limite = min(int(request.query_params.get("limite", 200)), 500)
        return Response(self.get_serializer(queryset[:limite], many=True).data)

    def perform_create(self, serializer):
        serializer.save(tenant=self.request.user.tenant)

    @action(detail=True)
    def historial(self, request, *args, **kwargs):
        return Response(NaiveHistorialSerializer(self.get_object()).data)
