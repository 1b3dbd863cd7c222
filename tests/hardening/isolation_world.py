"""The two tenants of the isolation tests (``test_isolation.py``): A, whose data carries a
marker string in every text and whose ids go in the paths, and B, whose ADMIN makes every
request."""

import json
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from rest_framework.test import APIClient

from clientes.models import Cliente
from comercial.services import NewItem
from cotizaciones.models import Cotizacion
from cotizaciones.services import cotizacion_cancel, cotizacion_convert, cotizacion_create
from eventos.models import Evento
from tenants.models import IdempotentRequest, User
from tests.comercial.kinds import COTIZACIONES, VENTAS
from tests.factories import make_cliente, make_tenant, make_token, make_user
from ventas.models import Venta
from ventas.services import venta_cancel, venta_create
from webhooks.models import Entrega, Suscripcion
from webhooks.signing import new_secret

# Strings that only tenant A's data contains; none may appear in an answer to B.
MARK = "zqxmarcaa"
KEYS = 300  # Idempotency-Keys "iso-0" … that A's member has used (B's probes use them too)


@dataclass
class World:
    a: object
    b: object
    user_a: object
    user_b: object
    token_b: str
    objects_a: dict  # model -> an object of A (the ones in the paths: still changeable)
    objects_b: dict  # model -> an object of B
    fresh_b: dict  # model -> builds a new object of B (a transition's positive control)
    markers: tuple[str, ...]


def marked_lines() -> list[NewItem]:
    return [
        NewItem(f"Cemento {MARK}", Decimal("2.5"), Decimal("32900")),
        NewItem(f"Arena {MARK}", Decimal(1), Decimal("85000.50")),
    ]


def documents_of_a(a, cliente_a, user_a, admin_a) -> dict:
    """A's sales and quotations in every state, with items and events of every kind naming
    A's users; the ones returned (in the paths) are still open to every transition."""
    documento = {"tenant": a, "cliente": cliente_a, "vendedor": user_a, "items": marked_lines()}
    venta_a = venta_create(**documento, notas=f"venta {MARK}")
    venta_cancel(
        venta=venta_create(**documento, notas=f"anulada {MARK}"),
        por=admin_a,
        motivo=f"motivo {MARK}",
    )
    cotizacion_a = cotizacion_create(**documento, notas=f"cot {MARK}")
    cotizacion_convert(cotizacion=cotizacion_create(**documento), por=user_a)
    cotizacion_cancel(
        cotizacion=cotizacion_create(**documento), por=admin_a, motivo=f"motivo {MARK}"
    )
    return {Venta: venta_a, Cotizacion: cotizacion_a}


def answers_of_a(a, user_a) -> None:
    """Stored ``Idempotency-Key`` answers of A's member under the keys B's probes send, half
    of them expired (a purge by B's requests would delete them)."""
    old = timezone.now() - timedelta(days=2)
    IdempotentRequest.objects.bulk_create(
        IdempotentRequest(
            tenant=a,
            usuario=user_a,
            clave=f"iso-{n}",
            huella="a" * 64,
            status=201,
            cuerpo=json.dumps({"notas": f"guardada {MARK}"}).encode(),
            **({"creado_en": old} if n % 2 else {}),
        )
        for n in range(KEYS)
    )


def subscription(tenant, url: str, descripcion: str | None = None) -> Suscripcion:
    """A webhook subscription, saved as it is (its URL is the test's to choose), with a
    delivery of the tenant's first event."""
    suscripcion = Suscripcion.objects.create(
        tenant=tenant, url=url, tipos=["*"], secreto=new_secret(), descripcion=descripcion
    )
    evento = Evento.objects.for_tenant(tenant).order_by("id").first()
    Entrega.objects.create(tenant=tenant, suscripcion=suscripcion, evento=evento)
    return suscripcion


def build_world() -> World:
    a = make_tenant(nombre=f"Tienda {MARK} uno")
    b = make_tenant(nombre="Tienda B")
    user_a = make_user(a, email=f"{MARK}@tienda-a.example", nombre=f"Ana {MARK}")
    admin_a = make_user(a, rol=User.Rol.ADMIN, nombre=f"Jefe {MARK}")
    # B's member is an ADMIN: the widest view of a tenant (every sale and quotation, may
    # cancel sales), which must still end at B's border.
    user_b = make_user(b, rol=User.Rol.ADMIN)
    make_token(user_a)
    cliente_a = make_cliente(
        a,
        nombre=f"Cliente {MARK}",
        documento="1.020.345-678",
        email=f"cliente.{MARK}@tienda-a.example",
        telefono="300 123 4567",
        direccion=f"Calle {MARK}",
        notas=f"Notas {MARK}",
    )
    make_cliente(a, nombre=f"Otro {MARK}")
    objects_a = {
        Cliente: cliente_a,
        **documents_of_a(a, cliente_a, user_a, admin_a),
        Suscripcion: subscription(a, f"https://{MARK}.example/hook", f"hook {MARK}"),
    }
    answers_of_a(a, user_a)
    cliente_b = make_cliente(b, nombre="Cliente de B", documento="B-1")
    fresh_b = {
        Cliente: lambda: make_cliente(b, nombre="Otro de B"),  # to delete or to erase
        Venta: lambda: VENTAS.make(b, user_b, cliente_b),
        Cotizacion: lambda: COTIZACIONES.make(b, user_b, cliente_b),
        # Refused at delivery (a local address): a test send answers at once, not after a
        # timeout on a network the tests do not have.
        Suscripcion: lambda: subscription(b, "https://127.0.0.1:9/hook"),
    }
    return World(
        a=a,
        b=b,
        user_a=user_a,
        user_b=user_b,
        token_b=make_token(user_b),
        objects_a=objects_a,
        objects_b={
            Cliente: cliente_b,
            **{model: build() for model, build in fresh_b.items() if model is not Cliente},
        },
        fresh_b=fresh_b,
        markers=(MARK,),
    )


def client_b(world: World) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.token_b}")
    return client


def assert_nothing_of_a(world: World, response, what: str) -> None:
    text = response.content.decode("utf-8", "replace").lower()
    for marker in world.markers:
        assert marker.lower() not in text, f"{what}: the answer shows {marker!r} of tenant A"
