"""The data set's documents: sellers, sales and quotations with their lines and events, and the
counters of their numbers, as the services would have written them (bench/README.md)."""

from datetime import UTC, datetime

import psycopg

from bench.data import bulk, names

START = datetime(2022, 1, 1, tzinfo=UTC).timestamp()
END = datetime(2026, 11, 1, tzinfo=UTC).timestamp()
DAY = 86_400.0
VENTA, COTIZACION = "ventas.venta", "cotizaciones.cotizacion"  # documentos_numeracion.tipo
SELLERS_BIG = 6  # users of the big tenant who sell (the first one is its ADMIN)
SELLERS_SMALL = 2
LINES_PER_DOCUMENT = (1, 2, 3, 1, 4, 2, 5, 1, 3, 4)  # cycled by document number: 2.6 on average
PASSWORD_UNUSABLE = "!bench"  # Django's unusable-password prefix: nobody logs in as a seller

# (table, COPY columns); a group is filled in one pass, by (index in the group, line).
USERS = ("tenants_user", [
    "id", "password", "is_superuser", "email", "nombre", "rol", "estado", "is_staff", "is_active",
    "creado_en", "tenant_id",
])  # fmt: skip
_DOCUMENT = ["id", "tenant_id", "numero", "cliente_id", "vendedor_id", "total", "notas"]
_CANCEL = ["cancelada_en", "cancelada_por_id", "motivo_cancelacion"]
_ITEM = ["descripcion", "cantidad", "precio_unitario", "subtotal"]
_EVENT = ["tipo", "usuario_id", "en", "motivo"]
SALES = (
    ("ventas_venta", [*_DOCUMENT, "creado_en", *_CANCEL]),
    ("ventas_ventaitem", ["tenant_id", "venta_id", *_ITEM]),
    ("ventas_ventaevento", ["tenant_id", "venta_id", *_EVENT]),
)
_QUOTATION = [*_DOCUMENT, "estado", "valida_hasta", "creado_en", "convertida_en", *_CANCEL]
QUOTATIONS = (
    ("cotizaciones_cotizacion", _QUOTATION),
    ("cotizaciones_cotizacionitem", ["tenant_id", "cotizacion_id", *_ITEM]),
    ("cotizaciones_cotizacionevento", ["tenant_id", "cotizacion_id", *_EVENT]),
)
COUNTERS = ("documentos_numeracion", ["tenant_id", "tipo", "ultimo"])
TABLES = tuple(table for table, _ in SALES + QUOTATIONS)


def ts(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(sep=" ")


def choice_of(rng, seq):
    return seq[int(rng.random() * len(seq))]


def fixed(units: int, decimals: int) -> str:
    """``units`` of 10**-decimals as COPY text (``2500, 3`` → ``2.500``)."""
    scale = 10**decimals
    return f"{units // scale}.{units % scale:0{decimals}d}"


def lines(rng, count: int) -> tuple[list[str], int]:
    """``count`` line items (descripcion, cantidad, precio, subtotal as COPY text) and their
    total in centavos, in integer arithmetic (thousandths × centavos, half up)."""
    rnd = rng.random
    out, total = [], 0
    for _ in range(count):
        r = rnd()
        if r < 0.7:
            milli = rng.randrange(1, 11) * 1000  # 1 … 10 units
        elif r < 0.9:
            milli = rng.randrange(1, 41) * 250  # 0.25 … 10
        else:
            milli = rng.randrange(1, 5000)  # 0.001 … 4.999 (kg, m)
        cents = rng.randrange(1, 800) * 50_000  # 500 … 399,500 pesos
        if rnd() < 0.2:
            cents += rng.randrange(0, 100)
        subtotal = (milli * cents + 500) // 1000
        total += subtotal
        out.append(
            f"{choice_of(rng, names.PRODUCTOS)}\t{fixed(milli, 3)}\t{fixed(cents, 2)}\t"
            f"{fixed(subtotal, 2)}\n"
        )
    return out, total


class SalesRows:
    """The documents' rows; mixed into ``bench.data.customers.Generator`` (its ``rng``,
    tenants and customers)."""

    def init_sales(self) -> None:
        self.sellers_of: dict[int, list[int]] = {}
        user_id = 0
        for tenant in (self.big_tenant_id, *self.small_tenant_ids):
            n = SELLERS_BIG if tenant == self.big_tenant_id else SELLERS_SMALL
            self.sellers_of[tenant] = list(range(user_id + 1, user_id + n + 1))
            user_id += n
        self.last_numero: dict[tuple[str, int], int] = {}

    def _numero(self, tipo: str, tenant: int) -> int:
        numero = self.last_numero.get((tipo, tenant), 0) + 1
        self.last_numero[(tipo, tenant)] = numero
        return numero

    def users(self):
        created = ts(START - 30 * DAY)
        rng = self.rng
        for tenant, sellers in self.sellers_of.items():
            for n, user_id in enumerate(sellers):
                nombre = f"{choice_of(rng, names.NOMBRES)} {choice_of(rng, names.APELLIDOS)}"
                rol = "ADMIN" if n == 0 else "USUARIO"
                yield (
                    f"{user_id}\t{PASSWORD_UNUSABLE}\tf\tvendedor{user_id}.t{tenant}@bench.test\t"
                    f"{nombre}\t{rol}\tACTIVO\tf\tt\t{created}\t{tenant}\n"
                )

    def _document(self, n: int, hot: set[int]):
        """(tenant, cliente or \\N, its sellers, the seller, when) of document ``n``."""
        rng = self.rng
        if n in hot:
            tenant, cliente = self.big_tenant_id, str(self.hot_cliente_id)
        elif (r := rng.random()) < 0.05:
            big = rng.random() < 0.55
            tenant, cliente = (
                self.big_tenant_id if big else choice_of(rng, self.small_tenant_ids),
                "\\N",
            )
        else:
            pool = self.big_ids if r < 0.55 else self.small_ids
            cliente = pool[int(rng.random() * len(pool))]
            tenant, cliente = self.tenant_of[cliente], str(cliente)
        sellers = self.sellers_of[tenant]
        vendedor = choice_of(rng, sellers)
        since = self.customer_ts(int(cliente)) if cliente != "\\N" else START
        return tenant, cliente, sellers, vendedor, since + rng.random() * (END - since)

    def _items(self, n: int, tenant: int, parent: int):
        text, total = lines(self.rng, LINES_PER_DOCUMENT[n % len(LINES_PER_DOCUMENT)])
        return [(1, f"{tenant}\t{parent}\t{line}") for line in text], fixed(total, 2)

    def sales(self):
        rng = self.rng
        hot = set(rng.sample(range(self.scale.sales), self.scale.hot_sales))
        for n in range(self.scale.sales):
            tenant, cliente, sellers, vendedor, created = self._document(n, hot)
            ident, at = n + 1, ts(created)
            notas = rng.choice(names.NOTAS_VENTA) if rng.random() < 0.2 else "\\N"
            items, total = self._items(n, tenant, ident)
            yield from items
            yield 2, f"{tenant}\t{ident}\tCREADA\t{vendedor}\t{at}\t\\N\n"
            cancelada = por = motivo = "\\N"
            if rng.random() < 0.08:
                cancelada = ts(created + rng.random() * 3 * DAY)
                por, motivo = sellers[0], rng.choice(names.MOTIVOS_CANCELACION)
                yield 2, f"{tenant}\t{ident}\tCANCELADA\t{por}\t{cancelada}\t{motivo}\n"
            yield (
                0,
                f"{ident}\t{tenant}\t{self._numero(VENTA, tenant)}\t{cliente}\t{vendedor}\t"
                f"{total}\t{notas}\t{at}\t{cancelada}\t{por}\t{motivo}\n",
            )

    def quotations(self):
        rng = self.rng
        hot = set(rng.sample(range(self.scale.quotations), self.scale.hot_quotations))
        for n in range(self.scale.quotations):
            tenant, cliente, sellers, vendedor, created = self._document(n, hot)
            ident, at = n + 1, ts(created)
            items, total = self._items(n, tenant, ident)
            yield from items
            yield 2, f"{tenant}\t{ident}\tCREADA\t{vendedor}\t{at}\t\\N\n"
            r = rng.random()
            convertida = cancelada = por = motivo = "\\N"
            if r < 0.5:
                estado = "PENDIENTE"
            elif r < 0.8:
                estado, convertida = "CONVERTIDA", ts(created + 2 * DAY)
                yield 2, f"{tenant}\t{ident}\tCONVERTIDA\t{vendedor}\t{convertida}\t\\N\n"
            else:
                estado, cancelada = "CANCELADA", ts(created + 5 * DAY)
                por, motivo = sellers[0], rng.choice(names.MOTIVOS_CANCELACION)
                yield 2, f"{tenant}\t{ident}\tCANCELADA\t{por}\t{cancelada}\t{motivo}\n"
            notas = "Precios sujetos a disponibilidad" if rng.random() < 0.1 else "\\N"
            yield (
                0,
                f"{ident}\t{tenant}\t{self._numero(COTIZACION, tenant)}\t{cliente}\t{vendedor}\t"
                f"{total}\t{notas}\t{estado}\t{ts(created + 15 * DAY)}\t{at}\t"
                f"{convertida}\t{cancelada}\t{por}\t{motivo}\n",
            )

    def counters(self):
        """The last ``numero`` per tenant and kind (after ``sales`` and ``quotations``)."""
        for (tipo, tenant), ultimo in sorted(self.last_numero.items()):
            yield f"{tenant}\t{tipo}\t{ultimo}\n"


def expected_rows(scale) -> int:
    """About how many rows ``copy_documents`` writes (for the progress bar)."""
    per_cycle = sum(LINES_PER_DOCUMENT) / len(LINES_PER_DOCUMENT)
    users = SELLERS_BIG + SELLERS_SMALL * scale.small_tenants
    return int(users + scale.sales * (2.08 + per_cycle) + scale.quotations * (2.5 + per_cycle))


def copy_documents(conn: psycopg.Connection, gen: SalesRows, bar) -> dict[str, int]:
    """Sellers, sales, quotations and counters, each in its own transaction; the row counts."""
    bar.set_description("COPY tenants_user")
    with conn.transaction():
        counts = {"sellers": bulk.copy_lines(conn, *USERS, gen.users(), bar)}
    for key, group in (("sales", SALES), ("quotations", QUOTATIONS)):
        bar.set_description(f"COPY {group[0][0]} (+ items, eventos)")
        with conn.transaction():
            documents, items, events = bulk.copy_group(conn, group, getattr(gen, key)(), bar)
        counts.update({key: documents, f"{key}_items": items, f"{key}_events": events})
    with conn.transaction():
        bulk.copy_lines(conn, *COUNTERS, gen.counters(), bar)
    return counts
