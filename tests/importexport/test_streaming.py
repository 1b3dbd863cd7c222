"""Both commands stream: memory does not grow with the number of customers."""

import io
import tracemalloc

import pytest

from clientes.csv_import import cliente_import_csv
from clientes.models import Cliente
from clientes.transfer import EXPORT_CHUNK_SIZE
from tests.importexport.helpers import export_to

pytestmark = pytest.mark.django_db

NOTE = "x" * 1000  # makes each row heavy enough for a full load to show
BATCH = 200


class Sink(io.TextIOBase):
    """Standard output that forgets what it is given."""

    def __init__(self):
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


def add_customers(tenant, count: int, start: int = 0) -> None:
    Cliente.objects.for_tenant(tenant).bulk_create(
        Cliente(tenant=tenant, nombre=f"Cliente {n}", documento=f"D{n}", notas=NOTE)
        for n in range(start, start + count)
    )


def export_peak(tenant, fmt: str) -> tuple[int, int]:
    """(peak bytes allocated during the export, characters written)."""
    sink = Sink()
    tracemalloc.start()
    try:
        export_to(sink, tenant, fmt)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, sink.chars


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_memory_does_not_grow_with_the_number_of_customers(
    tenant, fmt, django_assert_max_num_queries
):
    # Django keeps the previous chunk while fetching the next: two chunks is the steady state.
    add_customers(tenant, 2 * EXPORT_CHUNK_SIZE)
    small_peak, small_written = export_peak(tenant, fmt)
    add_customers(tenant, 2 * EXPORT_CHUNK_SIZE, start=2 * EXPORT_CHUNK_SIZE)
    with django_assert_max_num_queries(2):  # the tenant, then one cursor fetched in chunks
        big_peak, big_written = export_peak(tenant, fmt)
    assert big_written > 1.9 * small_written
    assert big_peak < 1.3 * small_peak, (small_peak, big_peak)


def import_peak(tenant, path) -> int:
    """Peak bytes allocated importing ``path`` in batches of ``BATCH`` (the command uses 1,000)."""
    tracemalloc.start()
    try:
        with path.open("rb") as file:
            result = cliente_import_csv(tenant=tenant, file=file, batch_size=BATCH)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.saved
    return peak


def test_import_memory_does_not_grow_with_the_number_of_lines(tenant, other_tenant, tmp_path):
    def csv_of(count: int, name: str):
        path = tmp_path / name
        with path.open("w", encoding="utf-8") as f:
            f.write("nombre,documento,notas\n")
            f.writelines(f"Cliente {n},D{n},{NOTE}\n" for n in range(count))
        return path

    small_peak = import_peak(tenant, csv_of(2 * BATCH, "small.csv"))
    big = csv_of(8 * BATCH, "big.csv")
    big_peak = import_peak(other_tenant, big)
    assert Cliente.objects.for_tenant(other_tenant).count() == 8 * BATCH
    assert big_peak < 1.3 * small_peak, (small_peak, big_peak)
