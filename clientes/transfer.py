"""Import and export of a tenant's customers: the logic behind ``import_clientes`` and
``export_clientes``.

Both stream, so a million customers fit in constant memory:

- **Import** reads the CSV one line at a time, validates every row with the API's own
  ``ClienteInputSerializer`` and writes in batches (one lookup query, one ``bulk_update``, one
  ``bulk_create`` per batch) inside one transaction, which is rolled back when any line is
  rejected or on ``dry_run``. Rows behave as if applied one after the other:

  - a row whose ``documento`` has the canonical form of an existing customer of the tenant
    updates that customer (only the columns the file has; an empty cell clears the field);
  - a row without ``documento`` but with the ``id`` of a customer *of this tenant* updates that
    customer (this is what makes export-then-import change nothing for customers without a
    document); with no ``id``, or the id of no customer of this tenant, it is inserted;
  - so a later row with the same canonical ``documento`` as an earlier row of the same file
    updates the customer the earlier row created or updated;
  - ``creadoEn`` is ignored; ``id`` never matches another tenant's customer.

- **Export** walks ``.values()`` rows in ``id`` order with ``.iterator(chunk_size=...)``
  (a server-side cursor on PostgreSQL) and writes each row as soon as it is fetched.
"""

import codecs
import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO, Protocol

import orjson
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from rest_framework.exceptions import ValidationError
from rest_framework.serializers import as_serializer_error

from clientes.models import Cliente
from clientes.selectors import cliente_list
from clientes.serializers import ClienteInputSerializer
from clientes.services import DOCUMENTO_UNICO
from config.exceptions import normalize_details
from tenants.models import Tenant

CAMPOS = ("nombre", "documento", "email", "telefono", "direccion", "notas")
COLUMNA_ID = "id"
COLUMNA_CREADO_EN = "creadoEn"
COLUMNAS_EXPORTACION = (COLUMNA_ID, *CAMPOS, COLUMNA_CREADO_EN)
COLUMNAS_ADMITIDAS = frozenset(COLUMNAS_EXPORTACION)

TAMANO_LOTE = 1000
CHUNK_EXPORTACION = 2000
MAX_RECHAZOS_DETALLADOS = 1000  # the report lists these; the rest are only counted
MAX_ID = 2**63 - 1  # bigint


class ImportacionError(Exception):
    """The file as a whole cannot be imported (header, encoding, CSV syntax, a conflict).

    The message is one Spanish line for the operator; nothing has been written.
    """


@dataclass(frozen=True, slots=True)
class Rechazo:
    """A rejected line: its number in the file (the header is line 1) and why."""

    linea: int
    motivo: str


@dataclass(slots=True)
class ResultadoImportacion:
    """Counts per accepted line, and the rejected lines (the first ``MAX_RECHAZOS_DETALLADOS``)."""

    creados: int = 0
    actualizados: int = 0
    sin_cambios: int = 0
    rechazados: int = 0
    rechazos: list[Rechazo] = field(default_factory=list)
    guardado: bool = False

    def rechazar(self, rechazo: Rechazo) -> None:
        self.rechazados += 1
        if len(self.rechazos) < MAX_RECHAZOS_DETALLADOS:
            self.rechazos.append(rechazo)


@dataclass(slots=True)
class _Fila:
    linea: int
    valores: dict
    cliente_id: int | None
    canonico: str | None = None


class Escritura(Protocol):
    def write(self, texto: str, /) -> object: ...


# --- Import ---------------------------------------------------------------------------------


def cliente_import_csv(
    *,
    tenant: Tenant,
    archivo: BinaryIO | Iterable[bytes],
    dry_run: bool = False,
    tamano_lote: int = TAMANO_LOTE,
    al_avanzar: Callable[[int], None] | None = None,
) -> ResultadoImportacion:
    """Upsert the customers of a UTF-8 CSV (opened in binary mode) into ``tenant``.

    All or nothing: the whole file runs in one transaction, rolled back when ``dry_run`` or
    when any line is rejected (``guardado`` tells which). The counts are exactly what the
    real run does (or would do). ``al_avanzar(linea)`` is called every ``tamano_lote`` lines.
    Raises ``ImportacionError`` for a problem with the file as a whole.
    """
    lector = csv.reader(_lineas_utf8(archivo), strict=True)
    columnas = _cabecera(lector)
    campos = [c for c in columnas if c in CAMPOS]
    validador = ClienteInputSerializer()  # the API's rules; stateless between rows
    resultado = ResultadoImportacion()
    with transaction.atomic():
        lote: list[_Fila] = []
        for leidas, (linea, celdas) in enumerate(_registros(lector), start=1):
            fila = _fila(linea=linea, celdas=celdas, columnas=columnas, validador=validador)
            if isinstance(fila, Rechazo):
                resultado.rechazar(fila)
            else:
                lote.append(fila)
            if len(lote) >= tamano_lote:
                _aplicar_lote(tenant=tenant, lote=lote, campos=campos, resultado=resultado)
                lote = []
            if al_avanzar is not None and leidas % tamano_lote == 0:
                al_avanzar(linea)
        if lote:
            _aplicar_lote(tenant=tenant, lote=lote, campos=campos, resultado=resultado)
        resultado.guardado = not dry_run and resultado.rechazados == 0
        if not resultado.guardado:
            transaction.set_rollback(True)
    return resultado


def _lineas_utf8(archivo: Iterable[bytes]) -> Iterator[str]:
    """The file's lines, decoded one by one so an encoding error names its line."""
    for numero, crudo in enumerate(archivo, start=1):
        if numero == 1 and crudo.startswith(codecs.BOM_UTF8):
            crudo = crudo[len(codecs.BOM_UTF8) :]
        try:
            yield crudo.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportacionError(
                f"El archivo no está codificado en UTF-8 (línea {numero}, byte {exc.start + 1})"
            ) from exc


def _cabecera(lector) -> list[str]:
    try:
        columnas = [c.strip() for c in next(lector)]
    except StopIteration:
        raise ImportacionError("El archivo está vacío: falta la fila de cabecera") from None
    except csv.Error as exc:
        raise ImportacionError(f"Cabecera CSV mal formada: {exc}") from exc
    desconocidas = [c for c in columnas if c not in COLUMNAS_ADMITIDAS]
    if desconocidas:
        raise ImportacionError(
            "Columnas desconocidas en la cabecera: "
            + ", ".join(f"«{c}»" for c in desconocidas)
            + f" (se admiten: {', '.join(COLUMNAS_EXPORTACION)})"
        )
    repetidas = sorted({c for c in columnas if columnas.count(c) > 1})
    if repetidas:
        raise ImportacionError(f"Columnas repetidas en la cabecera: {', '.join(repetidas)}")
    if "nombre" not in columnas:
        raise ImportacionError("Falta la columna obligatoria «nombre» en la cabecera")
    return columnas


def _registros(lector) -> Iterator[tuple[int, list[str]]]:
    """``(line where the record starts, cells)``; blank lines are skipped."""
    anterior = lector.line_num
    while True:
        try:
            celdas = next(lector)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportacionError(f"CSV mal formado en la línea {anterior + 1}: {exc}") from exc
        linea, anterior = anterior + 1, lector.line_num
        if celdas:
            yield linea, celdas


def _fila(
    *, linea: int, celdas: list[str], columnas: list[str], validador: ClienteInputSerializer
) -> _Fila | Rechazo:
    if len(celdas) != len(columnas):
        return Rechazo(linea, f"Tiene {len(celdas)} columnas y la cabecera tiene {len(columnas)}")
    datos = dict(zip(columnas, celdas, strict=True))
    datos.pop(COLUMNA_CREADO_EN, None)
    texto_id = datos.pop(COLUMNA_ID, "").strip()
    try:
        valores = validador.run_validation(datos)
    except ValidationError as exc:
        detalles = normalize_details(as_serializer_error(exc))
        return Rechazo(
            linea, "; ".join(f"{campo}: {' '.join(msgs)}" for campo, msgs in detalles.items())
        )
    cliente_id = None
    if texto_id:
        if not texto_id.isdigit() or not 0 < int(texto_id) <= MAX_ID:
            return Rechazo(linea, "id: Debe ser un número entero positivo.")
        cliente_id = int(texto_id)
    return _Fila(linea=linea, valores=dict(valores), cliente_id=cliente_id)


def _aplicar_lote(
    *, tenant: Tenant, lote: list[_Fila], campos: list[str], resultado: ResultadoImportacion
) -> None:
    """Apply the rows in order against the database state; two to four queries."""
    con_documento = [f for f in lote if f.valores.get("documento")]
    for fila, canonico in zip(
        con_documento, _canonicos([f.valores["documento"] for f in con_documento]), strict=True
    ):
        fila.canonico = canonico
    canonicos = {f.canonico for f in con_documento}
    ids = {f.cliente_id for f in lote if f.canonico is None and f.cliente_id is not None}

    por_canonico: dict[str, Cliente] = {}
    por_id: dict[int, Cliente] = {}
    if canonicos or ids:
        existentes = (
            Cliente.objects.for_tenant(tenant)
            .filter(Q(documento_canonico__in=canonicos) | Q(id__in=ids))
            .select_for_update()
        )
        for cliente in existentes:
            por_id[cliente.pk] = cliente
            if cliente.documento_canonico is not None:
                por_canonico[cliente.documento_canonico] = cliente

    nuevos: list[Cliente] = []
    cambiados: dict[int, Cliente] = {}
    for fila in lote:
        if fila.canonico is not None:
            cliente = por_canonico.get(fila.canonico)
        else:
            cliente = por_id.get(fila.cliente_id) if fila.cliente_id is not None else None
        if cliente is None:
            cliente = Cliente(tenant=tenant, **fila.valores)
            nuevos.append(cliente)
            if fila.canonico is not None:
                por_canonico[fila.canonico] = cliente
            resultado.creados += 1
            continue
        cambios = {k: v for k, v in fila.valores.items() if getattr(cliente, k) != v}
        if not cambios:
            resultado.sin_cambios += 1
            continue
        for campo, valor in cambios.items():
            setattr(cliente, campo, valor)
        resultado.actualizados += 1
        if cliente.pk is not None:
            cambiados[cliente.pk] = cliente
        if fila.canonico is None and "documento" in cambios:
            # Matched by id and its documento was cleared: later rows no longer find it by it.
            if por_canonico.get(cliente.documento_canonico) is cliente:
                del por_canonico[cliente.documento_canonico]
            cliente.documento_canonico = None

    # Updates first: they keep a canonical documento or clear it, never take a new one,
    # so they can only free values the inserts may need.
    try:
        if cambiados:
            Cliente.objects.for_tenant(tenant).bulk_update(list(cambiados.values()), campos)
        if nuevos:
            Cliente.objects.for_tenant(tenant).bulk_create(nuevos)
    except IntegrityError as exc:
        if getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None) == (
            DOCUMENTO_UNICO
        ):
            raise ImportacionError(
                "Otro proceso guardó un cliente con un documento del archivo mientras se "
                f"importaba (líneas {lote[0].linea}-{lote[-1].linea}); no se guardó nada, "
                "vuelva a intentarlo"
            ) from exc
        raise


def _canonicos(documentos: list[str]) -> list[str]:
    """Canonical forms by the very SQL function behind the generated column and unique index."""
    if not documentos:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT clientes_documento_canonico(d) FROM unnest(%s::text[]) "
            "WITH ORDINALITY AS t(d, n) ORDER BY n",
            [documentos],
        )
        return [canonico for (canonico,) in cursor.fetchall()]


# --- Export ---------------------------------------------------------------------------------


def cliente_export_rows(*, tenant: Tenant, chunk_size: int = CHUNK_EXPORTACION) -> Iterator[dict]:
    """The tenant's customers as the API's rows (camelCase keys), ``id`` ascending, streamed."""
    return cliente_list(tenant_id=tenant.pk).order_by("id").iterator(chunk_size=chunk_size)


def cliente_export_csv(*, tenant: Tenant, salida: Escritura) -> int:
    """Write the tenant's customers to ``salida`` as CSV; returns how many.

    Header ``id,nombre,documento,email,telefono,direccion,notas,creadoEn``; null is an empty
    cell; ``creadoEn`` is ISO 8601 in UTC with ``Z``, as in the API. ``import_clientes`` reads
    this file back.
    """
    escritor = csv.writer(salida, lineterminator="\n")
    escritor.writerow(COLUMNAS_EXPORTACION)
    total = 0
    for fila in cliente_export_rows(tenant=tenant):
        fila[COLUMNA_CREADO_EN] = _iso_z(fila[COLUMNA_CREADO_EN])
        escritor.writerow(["" if fila[c] is None else fila[c] for c in COLUMNAS_EXPORTACION])
        total += 1
    return total


def cliente_export_json(*, tenant: Tenant, salida: Escritura) -> int:
    """Write the tenant's customers to ``salida`` as a JSON array of Cliente objects.

    Each object is rendered like the API renders it (orjson, ``creadoEn`` with ``Z``) and
    written as soon as it is fetched; returns how many.
    """
    total = 0
    for fila in cliente_export_rows(tenant=tenant):
        salida.write(("[\n" if total == 0 else ",\n") + _json(fila))
        total += 1
    salida.write("[]\n" if total == 0 else "\n]\n")
    return total


def _json(fila: dict) -> str:
    return orjson.dumps(fila, option=orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC).decode()


def _iso_z(momento: datetime) -> str:
    """Same text as the API's JSON (orjson with ``OPT_UTC_Z``)."""
    return orjson.dumps(momento, option=orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC).decode()[1:-1]
