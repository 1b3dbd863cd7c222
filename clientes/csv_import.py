"""Import of a tenant's customers from CSV: the logic behind ``import_clientes`` and the API's
import. It streams (a million customers fit in constant memory); the columns are the
export's (``clientes.transfer``). It reads one line at a time, validates every row with the
API's own ``ClienteInputSerializer`` and writes in batches (a lookup, a ``bulk_update``, a
``bulk_create`` and the customers' events per batch) inside one transaction, rolled back when
any line is rejected or on ``dry_run``. Rows behave as if applied one after the other:

- a row whose ``documento`` has the canonical form of an existing customer of the tenant
  updates that customer (only the columns the file has; an empty cell clears the field);
- a row without ``documento`` but with the ``id`` of a customer *of this tenant* updates that
  customer (this is what makes export-then-import change nothing for customers without a
  document); with no ``id``, or the id of no customer of this tenant, it is inserted;
- a later row with the same canonical ``documento`` as an earlier row of the same file is
  rejected (which of the two is right is the shop's call, not the import's);
- ``creadoEn`` is ignored; ``id`` never matches another tenant's customer.

A leading ``'`` that the export put before a formula-like cell is removed before validating
(``clientes.csv_cells``).
"""

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework.exceptions import ValidationError
from rest_framework.serializers import as_serializer_error

from clientes.csv_cells import restore_formula
from clientes.csv_reading import header, records, utf8_lines
from clientes.history import change_events, event, save_events
from clientes.import_results import (
    ImportFileError,
    ImportResult,
    ImportTooLarge,
    Problem,
    RejectedLine,
)
from clientes.merge import MENSAJE_FUSIONADO, merged_ids
from clientes.models import Cliente, ClienteEvento
from clientes.representation import COLUMN_OF
from clientes.serializers import ClienteInputSerializer
from clientes.services import MENSAJE_ANONIMIZADO, is_documento_conflict
from clientes.transfer import FIELDS, ID_COLUMN
from config.api.exceptions import normalize_details
from config.api.ids import parse_id
from tenants.api.permissions import require_admin
from tenants.models import Tenant

BATCH_SIZE = 1000
MENSAJE_SOLO_ADMIN_IMPORTA = "Solo un administrador puede importar clientes"


@dataclass(slots=True)
class _Row:
    line: int
    values: dict
    cliente_id: int | None
    canonical: str | None = None


def cliente_import_csv(
    *,
    tenant: Tenant,
    file: BinaryIO | Iterable[bytes],
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    on_progress: Callable[[int], None] | None = None,
    por=None,
    max_rows: int | None = None,
) -> ImportResult:
    """Upsert the customers of a UTF-8 CSV (opened in binary mode) into ``tenant``.

    All or nothing: the whole file runs in one transaction, rolled back when ``dry_run`` or
    when any line is rejected (``saved`` tells which). The counts are exactly what the
    real run does (or would do). ``on_progress(line)`` is called every ``batch_size`` lines.
    Every customer created or changed gets its event (``CREADO``, ``ACTUALIZADO``) by ``por``
    (the API's user; None for the command). Raises ``ImportFileError`` for a problem with the
    file as a whole, ``ImportTooLarge`` at its row ``max_rows + 1``.
    """
    reader = csv.reader(utf8_lines(file), strict=True)
    columns = header(reader)
    fields = [COLUMN_OF[c] for c in columns if c in FIELDS]  # the model's names
    validator = ClienteInputSerializer()  # the API's rules; stateless between rows
    result = ImportResult()
    with transaction.atomic():
        _start_seen_documentos()
        batch: list[_Row] = []
        for read_count, (line, cells) in enumerate(records(reader), start=1):
            if max_rows is not None and read_count > max_rows:
                raise ImportTooLarge(f"El archivo tiene más de {max_rows} filas", line=line)
            row = _parse_row(line=line, cells=cells, columns=columns, validator=validator)
            if isinstance(row, RejectedLine):
                result.reject(row)
            else:
                batch.append(row)
            if len(batch) >= batch_size:
                _apply_batch(tenant=tenant, batch=batch, fields=fields, result=result, por=por)
                batch = []
            if on_progress is not None and read_count % batch_size == 0:
                on_progress(line)
        if batch:
            _apply_batch(tenant=tenant, batch=batch, fields=fields, result=result, por=por)
        result.saved = not dry_run and result.rejected == 0
        if not result.saved:
            transaction.set_rollback(True)
    return result


def _parse_row(
    *, line: int, cells: list[str], columns: list[str], validator: ClienteInputSerializer
) -> _Row | RejectedLine:
    if len(cells) != len(columns):
        return RejectedLine.of(
            line, f"Tiene {len(cells)} columnas y la cabecera tiene {len(columns)}"
        )
    data = {c: restore_formula(v) for c, v in zip(columns, cells, strict=True) if c in FIELDS}
    id_text = cells[columns.index(ID_COLUMN)].strip() if ID_COLUMN in columns else ""
    try:
        values = validator.run_validation(data)
    except ValidationError as exc:
        details = normalize_details(as_serializer_error(exc))
        problems = (Problem(name, m) for name, messages in details.items() for m in messages)
        return RejectedLine(line, tuple(problems))
    cliente_id = None
    if id_text:
        cliente_id = parse_id(id_text)
        if cliente_id is None:
            return RejectedLine.of(line, "Debe ser un número entero positivo.", ID_COLUMN)
    return _Row(line=line, values=dict(values), cliente_id=cliente_id)


def _apply_batch(
    *, tenant: Tenant, batch: list[_Row], fields: list[str], result: ImportResult, por=None
) -> None:
    """Apply the rows in order to the database state, with their events; 3 to 5 queries."""
    with_documento = [r for r in batch if r.values.get("documento")]
    repeated = set()
    for row, (canonical, first) in zip(
        with_documento, _canonical_forms(with_documento), strict=True
    ):
        row.canonical = canonical
        if first != row.line:  # the file's first row with this documento is the one applied
            message = f"Documento repetido en el archivo (línea {first})"
            result.reject(RejectedLine.of(row.line, message, "documento"))
            repeated.add(row.line)
    batch = [r for r in batch if r.line not in repeated]
    with_documento = [r for r in with_documento if r.line not in repeated]
    canonicals = {r.canonical for r in with_documento}
    now = timezone.now()
    ids = {r.cliente_id for r in batch if r.canonical is None and r.cliente_id is not None}

    by_canonical: dict[str, Cliente] = {}
    by_id: dict[int, Cliente] = {}
    if canonicals or ids:
        existing = (
            Cliente.objects.for_tenant(tenant)
            .filter(Q(documento_canonico__in=canonicals) | Q(id__in=ids))
            .select_for_update()
        )
        for cliente in existing:
            by_id[cliente.pk] = cliente
            if cliente.documento_canonico is not None:
                by_canonical[cliente.documento_canonico] = cliente
    merged = merged_ids(tenant_id=tenant.pk, ids=ids - by_id.keys())

    new: list[Cliente] = []
    changed: dict[int, Cliente] = {}
    before: dict[int, dict] = {}  # id -> the stored values of the columns rows changed
    for row in batch:
        if row.canonical is not None:
            cliente = by_canonical.get(row.canonical)
        else:
            cliente = by_id.get(row.cliente_id) if row.cliente_id is not None else None
        if cliente is None and row.cliente_id in merged:  # not a new customer: a stale id
            message = MENSAJE_FUSIONADO.format(id=merged[row.cliente_id])
            result.reject(RejectedLine.of(row.line, message, ID_COLUMN))
            continue
        if cliente is None:
            cliente = Cliente(tenant=tenant, **row.values, creado_en=now, actualizado_en=now)
            new.append(cliente)
            if row.canonical is not None:
                by_canonical[row.canonical] = cliente
            result.created += 1
            continue
        changes = {k: v for k, v in row.values.items() if getattr(cliente, k) != v}
        if not changes:
            result.unchanged += 1
            continue
        if cliente.anonimizado_en is not None:
            result.reject(RejectedLine.of(row.line, MENSAJE_ANONIMIZADO, ID_COLUMN))
            continue
        if cliente.pk is not None:
            stored = before.setdefault(cliente.pk, {})
            for name in changes:
                stored.setdefault(name, getattr(cliente, name))
        for name, value in changes.items():
            setattr(cliente, name, value)
        result.updated += 1
        if cliente.pk is not None:
            cliente.actualizado_en = now
            changed[cliente.pk] = cliente
        if row.canonical is None and "documento" in changes:
            # Matched by id and its documento was cleared: later rows no longer find it by it.
            if by_canonical.get(cliente.documento_canonico) is cliente:
                del by_canonical[cliente.documento_canonico]
            cliente.documento_canonico = None

    # Updates first: they keep a canonical documento or clear it, never take a new one,
    # so they can only free values the inserts may need.
    try:
        if changed:
            Cliente.objects.for_tenant(tenant).bulk_update(
                list(changed.values()), [*fields, "actualizado_en"]
            )
        if new:
            Cliente.objects.for_tenant(tenant).bulk_create(new)
    except IntegrityError as exc:
        if is_documento_conflict(exc):
            raise ImportFileError(
                "Otro proceso guardó un cliente con un documento del archivo mientras se "
                f"importaba (líneas {batch[0].line}-{batch[-1].line}); no se guardó nada, "
                "vuelva a intentarlo"
            ) from exc
        raise
    events = [event(c, ClienteEvento.Tipo.CREADO, por=por) for c in new]
    for pk, cliente in changed.items():
        events.extend(change_events(cliente, before[pk], por=por))
    save_events(events)


# The canonical documentos the import has seen, and the line of each one's first row: a
# temporary table (dropped at commit), so a file of a million rows needs no memory for them.
FIRST_LINES = """
WITH b AS (
    SELECT clientes_documento_canonico(d) AS canonico, linea, n
    FROM unnest(%s::text[], %s::int[]) WITH ORDINALITY AS t(d, linea, n)
), primeras AS (
    SELECT b.canonico, coalesce(min(v.linea), min(b.linea)) AS primera
    FROM b LEFT JOIN clientes_import_vistos v USING (canonico)
    GROUP BY b.canonico
), vistas AS (
    INSERT INTO clientes_import_vistos
    SELECT canonico, primera FROM primeras WHERE canonico IS NOT NULL
    ON CONFLICT DO NOTHING
)
SELECT b.canonico, p.primera
FROM b LEFT JOIN primeras p ON p.canonico IS NOT DISTINCT FROM b.canonico
ORDER BY b.n
"""


def _start_seen_documentos() -> None:
    with connection.cursor() as cursor:
        # An earlier import's, when both run in one transaction.
        cursor.execute("DROP TABLE IF EXISTS pg_temp.clientes_import_vistos")
        cursor.execute(
            "CREATE TEMP TABLE clientes_import_vistos "
            "(canonico text PRIMARY KEY, linea integer NOT NULL) ON COMMIT DROP"
        )


def _canonical_forms(rows: list[_Row]) -> list[tuple[str, int]]:
    """``(canonical form, line of the file's first row with it)`` of each row's documento, by
    the very SQL function behind the generated column and unique index."""
    if not rows:
        return []
    with connection.cursor() as cursor:
        cursor.execute(FIRST_LINES, [[r.values["documento"] for r in rows], [r.line for r in rows]])
        return cursor.fetchall()


def cliente_import_upload(*, tenant: Tenant, archivo, simular: bool, por) -> ImportResult:
    """The API's import (ADMIN only): ``cliente_import_csv`` of an uploaded file, refused past
    ``API_IMPORT_MAX_FILE_BYTES`` (``ImportTooLarge``) or past ``API_IMPORT_MAX_ROWS`` rows."""
    require_admin(por, MENSAJE_SOLO_ADMIN_IMPORTA)
    limit = settings.API_IMPORT_MAX_FILE_BYTES
    if archivo.size > limit:
        raise ImportTooLarge(f"El archivo supera el máximo de {limit / (1024 * 1024):g} MB")
    return cliente_import_csv(
        tenant=tenant,
        file=archivo,
        dry_run=simular,
        por=por,
        max_rows=settings.API_IMPORT_MAX_ROWS,
    )
