"""The data set's tenants and customers, and the generator of all its rows (one seed)."""

import random
import unicodedata

from bench.data import names
from bench.data.sales import DAY, END, START, SalesRows, ts

BIG_SLUG = "bench-grande"
SMALL_SLUG = "bench-pyme-{:03d}"
TENANTS = ("tenants_tenant", ["id", "slug", "nombre", "creado_en", "zona_horaria", "estado"])
CUSTOMERS = ("clientes_cliente", [
    "id", "tenant_id", "nombre", "documento", "email", "telefono", "direccion", "notas",
    "creado_en", "actualizado_en",
])  # fmt: skip


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
    if r < 0.40:
        return n
    if r < 0.65:
        return f"{head}.{mid}.{tail}"
    if r < 0.85:
        return f"{head}.{mid}-{tail}"
    return f"{head} {mid} {tail}"


def _telefono(digits: str, r: float) -> str:
    a, b, c = digits[:3], digits[3:6], digits[6:]
    styles = (digits, f"{a} {b} {c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"{a} {b}-{c}")
    limits = (0.25, 0.45, 0.60, 0.70, 0.90)
    return next(
        (s for s, limit in zip(styles, limits, strict=True) if r < limit), f"+57 {a} {b} {c}"
    )


class Generator(SalesRows):
    """Deterministic rows (one seed), as COPY text lines."""

    def __init__(self, scale, seed: int = 20261124):
        self.scale = scale
        self.rng = random.Random(seed)
        self.big_tenant_id = 1
        self.small_tenant_ids = list(range(2, 2 + scale.small_tenants))
        total = scale.customers
        slots = [self.big_tenant_id] * scale.big_customers
        for tenant_id in self.small_tenant_ids:
            slots += [tenant_id] * scale.small_customers
        self.rng.shuffle(slots)
        self.tenant_of = [0, *slots]  # by customer id (ids 1..total)
        self.big_ids = [i for i in range(1, total + 1) if self.tenant_of[i] == self.big_tenant_id]
        self.small_ids = [i for i in range(1, total + 1) if self.tenant_of[i] != self.big_tenant_id]
        self.hot_cliente_id = self.big_ids[len(self.big_ids) // 2]
        self.phone_owner = self.big_ids[len(self.big_ids) // 3]
        self.rare_ids = set(self.big_ids[7::25_000])
        self.phone_digits = ""
        self._nombres = [(n, _fold(n)) for n in names.NOMBRES]
        self._apellidos = [(n, _fold(n)) for n in names.APELLIDOS]
        self.init_sales()

    def customer_ts(self, ident: int) -> float:
        return START + (ident - 1) / self.scale.customers * (END - START) * 0.98

    def tenants(self):
        tail = f"\t{ts(START - 30 * DAY)}\tAmerica/Bogota\tACTIVA\n"
        yield f"{self.big_tenant_id}\t{BIG_SLUG}\tDistribuidora Núñez & Peña S.A.S.{tail}"
        for n, tenant_id in enumerate(self.small_tenant_ids, start=1):
            yield f"{tenant_id}\t{SMALL_SLUG.format(n)}\tTienda Doña Inés N.º {n}{tail}"

    def customers(self):
        rng, rnd, choice = self.rng, self.rng.random, self.rng.choice
        for ident in range(1, self.scale.customers + 1):
            first, first_f = choice(self._nombres)
            nombre = first
            if rnd() < 0.3:
                nombre += " " + choice(self._nombres)[0]
            ap1, ap1_f = choice(self._apellidos)
            nombre += " " + ap1
            if ident in self.rare_ids:
                nombre += " " + names.APELLIDO_RARO
            elif rnd() < 0.9:
                nombre += " " + choice(self._apellidos)[0]
            documento = _documento(rng, ident) if rnd() < 0.92 else "\\N"
            email = "\\N"
            if rnd() < 0.85:
                email = f"{first_f}.{ap1_f}{rng.randrange(1, 1000)}@{choice(names.DOMINIOS)}"
            telefono = "\\N"
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
            direccion = "\\N"
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
