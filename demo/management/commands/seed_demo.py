import random
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clientes.services import cliente_create
from comercial.services import NewItem
from core.errors import DomainError
from cotizaciones.services import cotizacion_cancel, cotizacion_convert, cotizacion_create
from tenants.management.commands.create_tenant import one_line
from tenants.models import Tenant, User
from tenants.services import TenantError, tenant_create, token_issue, user_create
from ventas.services import venta_cancel, venta_create

NOMBRES = [
    "José",
    "María",
    "Andrés",
    "Lucía",
    "Sebastián",
    "Camila",
    "Martín",
    "Sofía",
    "Nicolás",
    "Valentina",
    "Tomás",
    "Isabel",
    "Ramón",
    "Inés",
    "Óscar",
    "Ángela",
    "Jesús",
    "Begoña",
]
APELLIDOS = [
    "Álvarez",
    "Gómez",
    "Pérez",
    "Rodríguez",
    "Muñoz",
    "Hernández",
    "Díaz",
    "Núñez",
    "Castaño",
    "Ibáñez",
    "Peña",
    "Suárez",
    "Ortiz",
    "Jiménez",
    "Martínez",
    "Quiñones",
]
PRODUCTOS = [
    ("Café molido 500 g", "18500"),
    ("Panela x 2", "6200"),
    ("Arroz 5 kg", "24900"),
    ("Aceite 1 L", "13800"),
    ("Chocolate de mesa", "7400"),
    ("Queso campesino", "15600"),
]


class Command(BaseCommand):
    """Fill an empty database with demo tenants, users, customers, sales and quotations, and
    print how to get in (the same lines again on later runs)."""

    help = "Crea datos de demostración si la base no tiene empresas; imprime cómo entrar."

    def add_arguments(self, parser):
        parser.add_argument("--clientes", type=int, default=60)
        parser.add_argument("--seed", type=int, default=7, help="Semilla del generador")

    def handle(self, *args, clientes: int, seed: int, **options):
        credentials = settings.DATA_DIR / "demo-login.txt"
        if Tenant.objects.exists():
            self.stdout.write("La base ya tiene empresas: se conservan sus datos.")
            if credentials.exists():
                self.stdout.write(credentials.read_text())
            return
        password = secrets.token_urlsafe(12)
        try:
            with transaction.atomic():
                rng = random.Random(seed)  # noqa: S311  (reproducible demo data, not secrets)
                people = self._seed(rng, clientes, password)
                tokens = {role: token_issue(user=people[role], dias=0)[1] for role in TOKENS}
        except ValidationError as exc:
            raise CommandError(one_line(exc)) from exc
        except (TenantError, DomainError) as exc:  # e.g. a demo email already in use
            raise CommandError(str(exc)) from exc
        login = _login_text(people, password, tokens)
        self.stdout.write("Datos de demostración creados.\n" + login)
        credentials.parent.mkdir(parents=True, exist_ok=True)
        credentials.write_text(login)
        credentials.chmod(0o600)

    def _seed(self, rng: random.Random, n_clientes: int, password: str) -> dict[str, User]:
        demo = tenant_create(slug="demo", nombre="Tienda Demo")
        otra = tenant_create(slug="otra", nombre="Otra Tienda")
        # The shop's administrator is tenant staff: in the admin they see their shop only.
        admin = user_create(
            tenant=demo,
            email="admin@demo.test",
            nombre="Admin Demo",
            password=password,
            rol=User.Rol.ADMIN,
            is_staff=True,
        )
        vendedor = user_create(
            tenant=demo, email="vendedor@demo.test", nombre="Vendedora Demo", password=password
        )
        admin_otra = user_create(
            tenant=otra,
            email="admin@otra.test",
            nombre="Admin Otra",
            password=password,
            rol=User.Rol.ADMIN,
            is_staff=True,
        )
        plataforma = User.objects.create_superuser(
            "plataforma@demo.test", password, nombre="Plataforma"
        )
        # The demo tenant's documents are the seller's; the other tenant's have no seller.
        for tenant, count, tenant_vendedor, tenant_admin in (
            (demo, n_clientes, vendedor, admin),
            (otra, max(n_clientes // 4, 1), None, admin_otra),
        ):
            for i in range(count):
                cliente = cliente_create(tenant=tenant, **_cliente_data(rng, i))
                self._history(rng, tenant, cliente, vendedor=tenant_vendedor, admin=tenant_admin)
        return {"admin": admin, "vendedor": vendedor, "plataforma": plataforma}

    def _history(self, rng, tenant, cliente, *, vendedor: User | None, admin: User) -> None:
        """A customer's sales and quotations, through the services and their rules: only an
        ADMIN cancels a sale; the seller (else the ADMIN) cancels or converts a quotation."""
        for _ in range(rng.randint(0, 5)):
            venta = venta_create(
                tenant=tenant, cliente=cliente, vendedor=vendedor, items=_items(rng)
            )
            if rng.random() < 0.1:
                venta_cancel(venta=venta, por=admin, motivo="Devolución")
        for _ in range(rng.randint(0, 2)):
            cotizacion = cotizacion_create(
                tenant=tenant, cliente=cliente, vendedor=vendedor, items=_items(rng)
            )
            suerte = rng.random()  # one draw, as before: the same demo data for a seed
            if suerte < 0.2:
                cotizacion_cancel(
                    cotizacion=cotizacion, por=vendedor or admin, motivo="No interesado"
                )
            elif suerte < 0.5:
                cotizacion_convert(cotizacion=cotizacion, por=vendedor or admin)


# Who gets an API token, with the line that names it.
TOKENS = {
    "admin": "Token de la administradora (ADMIN: puede cancelar ventas)",
    "vendedor": "Token de la vendedora (USUARIO)",
}


def _login_text(people: dict[str, User], password: str, tokens: dict[str, str]) -> str:
    """Who is who in the demo, with password and tokens: printed once, kept in .data/."""
    admin, vendedor, plataforma = people["admin"], people["vendedor"], people["plataforma"]
    lines = [
        f"  Administradora de «Tienda Demo» (API y admin, solo su empresa): "
        f"{admin.email} / {password}",
        f"  Vendedora de «Tienda Demo» (API): {vendedor.email} / {password}",
        f"  Superusuario de la plataforma (admin, todas las empresas): "
        f"{plataforma.email} / {password}",
        "  Admin de Django: http://127.0.0.1:8000/admin/",
        *(f"  {TOKENS[role]}: Authorization: Token {key}" for role, key in tokens.items()),
    ]
    return "\n".join(lines) + "\n"


def _cliente_data(rng: random.Random, i: int) -> dict:
    nombre = f"{rng.choice(NOMBRES)} {rng.choice(APELLIDOS)} {rng.choice(APELLIDOS)}"
    numero = f"{rng.randint(10, 99)}.{rng.randint(100, 999)}.{rng.randint(100, 999)}-{i}"
    telefono = (
        f"3{rng.randint(0, 2)}{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    )
    usuario = nombre.split()[0].lower().translate(str.maketrans("áéíóúñ", "aeioun"))
    return {
        "nombre": nombre,
        "documento": numero if rng.random() < 0.9 else None,
        "email": f"{usuario}{i}@example.com" if rng.random() < 0.8 else None,
        "telefono": telefono,
        "direccion": f"Calle {rng.randint(1, 120)} # {rng.randint(1, 99)}-{rng.randint(1, 99)}",
        "notas": None,
    }


def _items(rng: random.Random) -> list[NewItem]:
    return [
        NewItem(nombre, Decimal(rng.randint(1, 4)), Decimal(precio))
        for nombre, precio in rng.sample(PRODUCTOS, rng.randint(1, 3))
    ]
