"""The data set's rows, as COPY text lines from one seed: tenants, customers, sellers, sales and
quotations with their lines and events, and the counters of their numbers, as the services
would have written them (bench/README.md, "The data set")."""

import random
import unicodedata
from datetime import UTC, datetime

from bench.data import names

START = datetime(2022, 1, 1, tzinfo=UTC).timestamp()
END = datetime(2026, 11, 1, tzinfo=UTC).timestamp()
DAY = 86_400.0
VENTA, COTIZACION = "ventas.venta", "cotizaciones.cotizacion"  # documentos_numeracion.tipo
SELLERS_BIG = 6  # users of the big tenant who sell (the first one is its ADMIN)
SELLERS_SMALL = 2
LINES_PER_DOCUMENT = (1, 2, 3, 1, 4, 2, 5, 1, 3, 4)  # cycled by document number: 2.6 on average
PASSWORD_UNUSABLE = "!bench"  # Django's unusable-password prefix: nobody logs in as a seller
BIG_SLUG, SMALL_SLUG = "bench-grande", "bench-pyme-{:03d}"

# (table, COPY columns); a group (documents, items, events) is filled in one pass.
TENANTS = ("tenants_tenant", ["id", "slug", "nombre", "creado_en", "zona_horaria", "estado"])
CUSTOMERS = ("clientes_cliente", [
    "id", "tenant_id", "nombre", "documento", "email", "telefono", "direccion", "notas",
    "creado_en", "actualizado_en",
])  # fmt: skip
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
TABLES = ("clientes_cliente", *(table for table, _ in SALES + QUOTATIONS))  # loaded in bulk


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
    out, total = [], 0
    for _ in range(count):
        r = rng.random()
        if r < 0.7:
            milli = rng.randrange(1, 11) * 1000  # 1 … 10 units
        elif r < 0.9:
            milli = rng.randrange(1, 41) * 250  # 0.25 … 10
        else:
            milli = rng.randrange(1, 5000)  # 0.001 … 4.999 (kg, m)
        cents = rng.randrange(1, 800) * 50_000  # 500 … 399,500 pesos
        if rng.random() < 0.2:
            cents += rng.randrange(0, 100)
        subtotal = (milli * cents + 500) // 1000
        total += subtotal
        product = choice_of(rng, names.PRODUCTOS)
        out.append(f"{product}\t{fixed(milli, 3)}\t{fixed(cents, 2)}\t{fixed(subtotal, 2)}\n")
    return out, total


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii()).lower()


def _documento(rng: random.Random, ident: int) -> str:
    """Unique per customer (by construction), in the punctuation people type."""
    r = rng.random()
    if r < 0.12:  # NIT of a company, with check digit
        n = f"{900_000_000 + ident:09d}"
        return f"{n[:3]}.{n[3:6]}.{n[6:]}-{ident % 10}"
    n = str(10_000_000 + ident * 13)
    head, mid, tail = n[:-6], n[-6:-3], n[-3:]
    styles = ((0.40, n), (0.65, f"{head}.{mid}.{tail}"), (0.85, f"{head}.{mid}-{tail}"))
    return next((s for limit, s in styles if r < limit), f"{head} {mid} {tail}")


def _telefono(digits: str, r: float) -> str:
    a, b, c = digits[:3], digits[3:6], digits[6:]
    styles = (digits, f"{a} {b} {c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"{a} {b}-{c}")
    limits = (0.25, 0.45, 0.60, 0.70, 0.90)
    return next(
        (s for s, limit in zip(styles, limits, strict=True) if r < limit), f"+57 {a} {b} {c}"
    )


class Generator:
    """Deterministic rows (one seed), as COPY text lines; documents as (index in their group,
    line)."""

    def __init__(self, scale, seed: int = 20261124):
        self.scale = scale
        self.rng = random.Random(seed)
        self.big_tenant_id = 1
        self.small_tenant_ids = list(range(2, 2 + scale.small_tenants))
        slots = [self.big_tenant_id] * scale.big_customers
        for tenant_id in self.small_tenant_ids:
            slots += [tenant_id] * scale.small_customers
        self.rng.shuffle(slots)
        self.tenant_of = [0, *slots]  # by customer id (ids 1..customers)
        ids = range(1, scale.customers + 1)
        self.big_ids = [i for i in ids if self.tenant_of[i] == self.big_tenant_id]
        self.small_ids = [i for i in ids if self.tenant_of[i] != self.big_tenant_id]
        self.hot_cliente_id = self.big_ids[len(self.big_ids) // 2]
        self.phone_owner = self.big_ids[len(self.big_ids) // 3]
        self.rare_ids = set(self.big_ids[7::25_000])
        self.phone_digits = ""
        self.sellers_of: dict[int, list[int]] = {}
        for tenant in (self.big_tenant_id, *self.small_tenant_ids):
            n = SELLERS_BIG if tenant == self.big_tenant_id else SELLERS_SMALL
            user_id = sum(map(len, self.sellers_of.values()))
            self.sellers_of[tenant] = list(range(user_id + 1, user_id + n + 1))
        self.last_numero: dict[tuple[str, int], int] = {}

    def customer_ts(self, ident: int) -> float:
        return START + (ident - 1) / self.scale.customers * (END - START) * 0.98

    def tenants(self):
        tail = f"\t{ts(START - 30 * DAY)}\tAmerica/Bogota\tACTIVA\n"
        yield f"{self.big_tenant_id}\t{BIG_SLUG}\tDistribuidora Núñez & Peña S.A.S.{tail}"
        for n, tenant_id in enumerate(self.small_tenant_ids, start=1):
            yield f"{tenant_id}\t{SMALL_SLUG.format(n)}\tTienda Doña Inés N.º {n}{tail}"

    def customers(self):
        rng, rnd, choice = self.rng, self.rng.random, self.rng.choice
        nombres = [(n, _fold(n)) for n in names.NOMBRES]
        apellidos = [(n, _fold(n)) for n in names.APELLIDOS]
        for ident in range(1, self.scale.customers + 1):
            first, first_f = choice(nombres)
            nombre = first + (" " + choice(nombres)[0] if rnd() < 0.3 else "")
            ap1, ap1_f = choice(apellidos)
            nombre += " " + ap1
            if ident in self.rare_ids:
                nombre += " " + names.APELLIDO_RARO
            elif rnd() < 0.9:
                nombre += " " + choice(apellidos)[0]
            documento = _documento(rng, ident) if rnd() < 0.92 else "\\N"
            email = telefono = direccion = "\\N"
            if rnd() < 0.85:
                email = f"{first_f}.{ap1_f}{rng.randrange(1, 1000)}@{choice(names.DOMINIOS)}"
            if ident == self.phone_owner or rnd() < 0.9:
                prefix = "3" if rnd() < 0.8 else "60"
                digits = prefix + str(
                    rng.randrange(10 ** (9 - len(prefix)), 10 ** (10 - len(prefix)))
                )
                if ident == self.phone_owner:
                    self.phone_digits = digits
                    telefono = f"{digits[:3]} {digits[3:6]}-{digits[6:]}"
                else:
                    telefono = _telefono(digits, rnd())
            if rnd() < 0.6:
                direccion = (
                    f"{choice(names.CALLES)} {rng.randrange(1, 180)} # {rng.randrange(1, 99)}-"
                    f"{rng.randrange(1, 99)}, {choice(names.CIUDADES)}"
                )
            notas = choice(names.NOTAS_CLIENTE) if rnd() < 0.05 else "\\N"
            created = ts(self.customer_ts(ident))  # last changed when created, as the API writes
            yield (
                f"{ident}\t{self.tenant_of[ident]}\t{nombre}\t{documento}\t{email}\t{telefono}\t"
                f"{direccion}\t{notas}\t{created}\t{created}\n"
            )

    def users(self):
        created = ts(START - 30 * DAY)
        for tenant, sellers in self.sellers_of.items():
            for n, user_id in enumerate(sellers):
                nombre = (
                    f"{choice_of(self.rng, names.NOMBRES)} {choice_of(self.rng, names.APELLIDOS)}"
                )
                rol = "ADMIN" if n == 0 else "USUARIO"
                yield (
                    f"{user_id}\t{PASSWORD_UNUSABLE}\tf\tvendedor{user_id}.t{tenant}@bench.test\t"
                    f"{nombre}\t{rol}\tACTIVO\tf\tt\t{created}\t{tenant}\n"
                )

    def _document(self, tipo: str, n: int, hot: set[int]):
        """(tenant, cliente or \\N, its sellers, the seller, when, numero, its items' lines and
        total as COPY text) of document ``n`` of ``tipo``."""
        rng = self.rng
        if n in hot:
            tenant, cliente = self.big_tenant_id, str(self.hot_cliente_id)
        elif (r := rng.random()) < 0.05:
            big = rng.random() < 0.55
            tenant = self.big_tenant_id if big else choice_of(rng, self.small_tenant_ids)
            cliente = "\\N"
        else:
            pool = self.big_ids if r < 0.55 else self.small_ids
            cliente = pool[int(rng.random() * len(pool))]
            tenant, cliente = self.tenant_of[cliente], str(cliente)
        sellers = self.sellers_of[tenant]
        vendedor = choice_of(rng, sellers)
        since = self.customer_ts(int(cliente)) if cliente != "\\N" else START
        created = since + rng.random() * (END - since)
        numero = self.last_numero[(tipo, tenant)] = self.last_numero.get((tipo, tenant), 0) + 1
        return tenant, cliente, sellers, vendedor, created, numero

    def _items(self, n: int, tenant: int, parent: int):
        text, total = lines(self.rng, LINES_PER_DOCUMENT[n % len(LINES_PER_DOCUMENT)])
        return [(1, f"{tenant}\t{parent}\t{line}") for line in text], fixed(total, 2)

    def sales(self):
        rng = self.rng
        hot = set(rng.sample(range(self.scale.sales), self.scale.hot_sales))
        for n in range(self.scale.sales):
            tenant, cliente, sellers, vendedor, created, numero = self._document(VENTA, n, hot)
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
                (
                    f"{ident}\t{tenant}\t{numero}\t{cliente}\t{vendedor}\t{total}\t{notas}\t{at}\t"
                    f"{cancelada}\t{por}\t{motivo}\n"
                ),
            )

    def quotations(self):
        rng = self.rng
        hot = set(rng.sample(range(self.scale.quotations), self.scale.hot_quotations))
        for n in range(self.scale.quotations):
            tenant, cliente, sellers, vendedor, created, numero = self._document(COTIZACION, n, hot)
            ident, at = n + 1, ts(created)
            items, total = self._items(n, tenant, ident)
            yield from items
            yield 2, f"{tenant}\t{ident}\tCREADA\t{vendedor}\t{at}\t\\N\n"
            r = rng.random()
            estado, convertida = "PENDIENTE", "\\N"
            cancelada = por = motivo = "\\N"
            if 0.5 <= r < 0.8:
                estado, convertida = "CONVERTIDA", ts(created + 2 * DAY)
                yield 2, f"{tenant}\t{ident}\tCONVERTIDA\t{vendedor}\t{convertida}\t\\N\n"
            elif r >= 0.8:
                estado, cancelada = "CANCELADA", ts(created + 5 * DAY)
                por, motivo = sellers[0], rng.choice(names.MOTIVOS_CANCELACION)
                yield 2, f"{tenant}\t{ident}\tCANCELADA\t{por}\t{cancelada}\t{motivo}\n"
            notas = "Precios sujetos a disponibilidad" if rng.random() < 0.1 else "\\N"
            yield (
                0,
                (
                    f"{ident}\t{tenant}\t{numero}\t{cliente}\t{vendedor}\t{total}\t{notas}\t{estado}\t"
                    f"{ts(created + 15 * DAY)}\t{at}\t{convertida}\t{cancelada}\t{por}\t{motivo}\n"
                ),
            )

    def counters(self):
        """The last ``numero`` per tenant and kind (after ``sales`` and ``quotations``)."""
        for (tipo, tenant), ultimo in sorted(self.last_numero.items()):
            yield f"{tenant}\t{tipo}\t{ultimo}\n"
