from django.core.management.base import BaseCommand

from tenants.selectors import token_list


class Command(BaseCommand):
    """List API tokens by prefix (keys are never stored, so never shown)."""

    help = "Lista los tokens de API (prefijo, usuario, empresa, creación, vencimiento)."

    def add_arguments(self, parser):
        parser.add_argument("--email", help="Solo los de este usuario")
        parser.add_argument("--tenant", metavar="SLUG", help="Solo los de usuarios de esta empresa")

    def handle(self, *args, email: str | None, tenant: str | None, **options):
        tokens = list(token_list(email=email, tenant_slug=tenant))
        for token in tokens:
            tenant_slug = token.user.tenant.slug if token.user.tenant else "-"
            vence = f"{token.expira_en:%Y-%m-%dT%H:%MZ}" if token.expira_en else "nunca"
            estado = "vencido" if token.expired else "vigente"
            self.stdout.write(
                f"{token.prefijo}\t{token.user.email}\t{tenant_slug}\t"
                f"{token.creado_en:%Y-%m-%dT%H:%MZ}\t{vence}\t{estado}"
            )
        self.stderr.write(f"{len(tokens)} token(s).")
