import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.management.commands.create_tenant import one_line
from tenants.management.lookups import tenant_by_slug
from tenants.models import User
from tenants.services import TenantError, user_create


class Command(BaseCommand):
    """Create a member of a tenant; the password comes from standard input if asked."""

    help = "Crea un usuario de una empresa (por defecto USUARIO y ACTIVO)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, metavar="SLUG")
        parser.add_argument("--email", required=True)
        parser.add_argument("--nombre", required=True)
        parser.add_argument("--rol", choices=User.Rol.values, default=User.Rol.USUARIO)
        parser.add_argument("--estado", choices=User.Estado.values, default=User.Estado.ACTIVO)
        parser.add_argument(
            "--staff",
            action="store_true",
            help="Acceso al admin de Django, donde solo ve su propia empresa.",
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Lee la contraseña de la entrada estándar (primera línea).",
        )

    def handle(self, *args, **options):
        tenant = tenant_by_slug(options["tenant"])
        password = None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("La contraseña leída de la entrada estándar está vacía")
        try:
            user = user_create(
                tenant=tenant,
                email=options["email"],
                nombre=options["nombre"],
                password=password,
                rol=options["rol"],
                estado=options["estado"],
                is_staff=options["staff"],
            )
        except ValidationError as exc:
            raise CommandError(one_line(exc)) from exc
        except TenantError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Usuario {user.email} creado en «{tenant.nombre}» "
            f"(id {user.pk}, {user.rol}, {user.estado}"
            + (", con acceso al admin)" if user.is_staff else ")")
            + ("" if password else "; sin contraseña: use issue_token para acceder por API")
        )
