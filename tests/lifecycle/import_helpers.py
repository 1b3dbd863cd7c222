"""What the tests of POST /api/clientes/importar share: an upload, the expected bodies,
the tenant's rows as the database holds them, files of a given size."""

from django.core.files.uploadedfile import SimpleUploadedFile

from clientes.models import Cliente

URL = "/api/clientes/importar"
FIELDS = ("nombre", "documento", "email", "telefono", "direccion", "notas")
FILA_RECHAZADA = "1 fila rechazada; no se guardó nada"
ANONIMIZADO = "No se puede modificar un cliente anonimizado"


def upload(client, content: str | bytes, *, name="clientes.csv", simular=None, **headers):
    data = content.encode() if isinstance(content, str) else content
    body = {"archivo": SimpleUploadedFile(name, data, content_type="text/csv")}
    if simular is not None:
        body["simular"] = simular
    return client.post(URL, body, format="multipart", **headers)


def rows(tenant) -> list[dict]:
    """The tenant's customers, every column, by id."""
    return list(Cliente.objects.for_tenant(tenant).order_by("id").values())


def fields(tenant) -> list[tuple]:
    return [tuple(r[f] for f in FIELDS) for r in rows(tenant)]


def ok(creados=0, actualizados=0, sin_cambios=0, simulado=False) -> dict:
    return {
        "creados": creados,
        "actualizados": actualizados,
        "sinCambios": sin_cambios,
        "simulado": simulado,
        "errores": [],
    }


def refused(fila, campo, mensaje) -> dict:
    """A 400 or 413 body with one problem."""
    return {"fila": fila, "campo": campo, "mensaje": mensaje}


def refused_file(mensaje, fila=None) -> dict:
    """The 400 or 413 body of a file refused as a whole: one problem, on no field."""
    return {
        "error": mensaje,
        "creados": 0,
        "actualizados": 0,
        "errores": [refused(fila, None, mensaje)],
    }


def assert_untouched(tenant, before: list[dict]) -> None:
    assert rows(tenant) == before


def csv_of_size(size: int) -> bytes:
    """A valid file of exactly ``size`` bytes: rows with 4,990-character notes, then blank
    lines (which the import skips) to make up the rest."""
    header, row = b"nombre,notas\n", b"Cliente," + b"x" * 4990 + b"\n"
    count, rest = divmod(size - len(header), len(row))
    return header + row * count + b"\n" * rest
