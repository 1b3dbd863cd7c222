"""Reads of users and API tokens for operators (the token behind each API request is
``tenants.api.tokens``)."""

from django.db.models import QuerySet

from tenants.models import ApiToken, User, canonical_email


def user_by_email(email: str) -> User | None:
    """The user with this email (emails are stored lower-cased), or None."""
    return User.objects.filter(email=canonical_email(email)).first()


def token_list(*, email: str | None = None, tenant_slug: str | None = None) -> QuerySet:
    """API tokens (never their keys), newest first, optionally of one user or tenant."""
    tokens = ApiToken.objects.select_related("user", "user__tenant").order_by("-creado_en")
    if email:
        tokens = tokens.filter(user__email=canonical_email(email))
    if tenant_slug:
        tokens = tokens.filter(user__tenant__slug=tenant_slug)
    return tokens
