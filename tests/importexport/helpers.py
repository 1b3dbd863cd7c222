"""Running the two commands the way an operator does, and reading the tenant's customers."""

import io
from pathlib import Path

from django.core.management import call_command

from clientes.models import Cliente
from tests.factories import make_full_cliente

HEADER = "nombre,documento,email,telefono,direccion,notas"
FIELDS = ["nombre", "documento", "email", "telefono", "direccion", "notas"]
# The cells after the id of ``make_jose``'s customer (accents, quotes, a comma and a line
# break) as the CSV holds them: the text as given, no direccion.
JOSE_CSV = [
    "José Álvarez",
    "1.020.345.678",
    "jose@example.com",
    "300 123 4567",
    "",
    'dice "hola",\nen dos líneas',
]


def make_jose(tenant) -> Cliente:
    """The customer both exports' tests write out: ``JOSE_CSV`` in the CSV."""
    return make_full_cliente(tenant, direccion=None, notas='dice "hola",\nen dos líneas')


def write_csv(tmp_path: Path, text: str | bytes, name: str = "clientes.csv") -> Path:
    """``text`` in UTF-8, or ``bytes`` as they are (a file in another encoding)."""
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run_import(tenant, path, *args) -> tuple[str, str]:
    """``import_clientes --tenant SLUG PATH [args]`` (a Tenant or a slug); (stdout, stderr)."""
    slug = getattr(tenant, "slug", tenant)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_clientes", "--tenant", slug, str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def export_to(stdout, tenant, fmt: str = "csv") -> None:
    """``export_clientes --tenant SLUG --format FMT`` written to ``stdout``; its count dropped."""
    call_command(
        "export_clientes",
        "--tenant",
        tenant.slug,
        "--format",
        fmt,
        stdout=stdout,
        stderr=io.StringIO(),
    )


def run_export(tenant, fmt: str = "csv") -> str:
    out = io.StringIO()
    export_to(out, tenant, fmt)
    return out.getvalue()


def customers(tenant) -> list[dict]:
    """The tenant's customers (contract fields plus id and creado_en), by id."""
    return list(
        Cliente.objects.for_tenant(tenant).order_by("id").values("id", *FIELDS, "creado_en")
    )


def fields_only(rows: list[dict]) -> list[dict]:
    return [{f: row[f] for f in FIELDS} for row in rows]
