from django.core.management.base import BaseCommand, CommandError

from tenants.selectors import user_by_email
from tenants.services import TenantError, token_revoke


class Command(BaseCommand):
    """Revoke API tokens by key prefix, or every token of a user."""

    help = "Revoca tokens de API: uno por su prefijo (list_tokens) o todos los de un usuario."

    def add_arguments(self, parser):
        parser.add_argument("--prefijo", help="Prefijo de 8 caracteres que muestra list_tokens")
        parser.add_argument("--email", help="Revoca todos los tokens de este usuario")

    def handle(self, *args, prefijo: str | None, email: str | None, **options):
        user = None
        if email:
            user = user_by_email(email)
            if user is None:
                raise CommandError(f"No existe un usuario con el email «{email}»")
        try:
            revoked = token_revoke(prefijo=prefijo, user=user)
        except TenantError as exc:
            raise CommandError(str(exc)) from exc
        if not revoked:
            raise CommandError("Ningún token coincide")
        self.stdout.write(f"{revoked} token(s) revocado(s).")
