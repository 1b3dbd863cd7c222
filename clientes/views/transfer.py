"""A shop's spreadsheet over HTTP: the import and the export the commands run, one code."""

from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from clientes.csv_import import cliente_import_upload
from clientes.import_results import ImportFileError, ImportTooLarge
from clientes.serializers import (
    ClienteSerializer,
    ImportInputSerializer,
    ImportRejectedSerializer,
    ImportResultSerializer,
)
from clientes.transfer import ClienteExport
from clientes.views.schema import ACTUALIZADO_DESDE, ARCHIVADO, BUSQUEDA
from config.api.schema import ERROR_RESPONSES
from tenants.api.idempotency import IDEMPOTENCY_KEY, REPLAYED, idempotent

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
FORMATO = OpenApiParameter(
    "formato", str, enum=list(ClienteExport.FORMATS), default="csv", description="csv o json."
)
IMPORT_EXAMPLE = {
    "creados": 2,
    "actualizados": 1,
    "sinCambios": 0,
    "simulado": False,
    "errores": [],
}
REJECTED_EXAMPLE = {
    "error": "1 fila rechazada; no se guardó nada",
    "creados": 0,
    "actualizados": 0,
    "errores": [
        {
            "fila": 3,
            "campo": "email",
            "mensaje": "El email no es válido.",
        }
    ],
}


class FormatoSerializer(serializers.Serializer):
    formato = serializers.ChoiceField(choices=ClienteExport.FORMATS, default="csv")


class ClienteTransferMixin:
    """``importar`` and ``exportar`` of a ``TenantScopedViewSet`` of customers (ADMIN only)."""

    @extend_schema(
        summary="Importar clientes de un CSV (ADMIN; todo o nada)",
        request={"multipart/form-data": ImportInputSerializer},
        parameters=[IDEMPOTENCY_KEY, REPLAYED],
        responses={
            200: OpenApiResponse(
                ImportResultSerializer,
                examples=[OpenApiExample("Importación", value=IMPORT_EXAMPLE)],
            ),
            400: OpenApiResponse(
                ImportRejectedSerializer,
                description="Filas rechazadas o archivo ilegible: no se guardó nada.",
                examples=[OpenApiExample("Una fila rechazada", value=REJECTED_EXAMPLE)],
            ),
            413: OpenApiResponse(
                ImportRejectedSerializer,
                description="Más de 10 MB o de 50.000 filas: no se guardó nada.",
            ),
            **ERROR_RESPONSES(401, 403, 415, 422),
        },
    )
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser])
    @idempotent
    def importar(self, request, *args, **kwargs):
        data = self.validated_input(serializer_class=ImportInputSerializer)
        try:
            result = cliente_import_upload(
                tenant=self.tenant,
                archivo=data["archivo"],
                simular=data["simular"],
                por=request.user,
            )
        except ImportFileError as exc:
            code = 413 if isinstance(exc, ImportTooLarge) else 400
            return _refused(exc.message, [_error(exc.line, None, exc.message)], status=code)
        if result.rejected:
            errores = [
                _error(rejected.line, problem.field, problem.message)
                for rejected in result.rejected_lines
                for problem in rejected.problems
            ]
            return _refused(_rejected_summary(result.rejected), errores, status=400)
        return Response(
            {
                "creados": result.created,
                "actualizados": result.updated,
                "sinCambios": result.unchanged,
                "simulado": data["simular"],
                "errores": [],
            }
        )

    @extend_schema(
        summary="Exportar los clientes (ADMIN; CSV o JSON, en streaming)",
        parameters=[FORMATO, ARCHIVADO, ACTUALIZADO_DESDE, BUSQUEDA],
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="Cabecera con las columnas de export_clientes; una fila por cliente.",
            ),
            (200, "application/json"): ClienteSerializer(many=True),
            **ERROR_RESPONSES(400, 401, 403),
        },
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def exportar(self, request, *args, **kwargs):
        formato = _formato(request.query_params)
        export = ClienteExport(
            tenant=self.tenant, formato=formato, filters=request.query_params, por=request.user
        )
        response = StreamingHttpResponse(
            (chunk.encode() for chunk in export), content_type=MEDIA_TYPES[formato]
        )
        day = timezone.localdate(timezone=self.tenant.tz).isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="clientes-{self.tenant.slug}-{day}.{formato}"'
        )
        return response


def _formato(params) -> str:
    serializer = FormatoSerializer(data={k: params[k] for k in ("formato",) if k in params})
    if not serializer.is_valid():
        raise ValidationError(serializer.errors)
    return serializer.validated_data["formato"]


def _error(fila: int | None, campo: str | None, mensaje: str) -> dict:
    return {"fila": fila, "campo": campo, "mensaje": mensaje}


def _refused(error: str, errores: list[dict], *, status: int) -> Response:
    """An import that wrote nothing: why, and every problem found."""
    body = {"error": error, "creados": 0, "actualizados": 0, "errores": errores}
    return Response(body, status=status)


def _rejected_summary(count: int) -> str:
    filas = "1 fila rechazada" if count == 1 else f"{count} filas rechazadas"
    return f"{filas}; no se guardó nada"
