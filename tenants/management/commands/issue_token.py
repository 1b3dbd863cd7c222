from django.core.management.base import BaseCommand, CommandError

from tenants.selectors import user_by_email
from tenants.services import token_issue


class Command(BaseCommand):
    """Print a new API token for a user on standard output, alone on its line."""

    help = "Emite un token de API para un usuario y lo imprime (solo se muestra una vez)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--dias",
            type=int,
            default=None,
            help="Días de validez (por defecto API_TOKEN_TTL_DAYS; 0: sin vencimiento)",
        )

    def handle(self, *args, email: str, dias: int | None, **options):
        user = user_by_email(email)
        if user is None:
            raise CommandError(f"No existe un usuario con el email «{email}»")
        if dias is not None and dias < 0:
            raise CommandError("--dias no puede ser negativo")
        token, key = token_issue(user=user, dias=dias)
        self.stdout.write(key)
        expiry = f", vence {token.expira_en:%Y-%m-%d %H:%M} UTC" if token.expira_en else ""
        self.stderr.write(f"Token {token.prefijo}… emitido para {user.email}{expiry}.")
