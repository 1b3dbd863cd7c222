"""Reads of users and API tokens: the token behind each API request, and the operators'
lists."""

from functools import cache

from django.db import connection
from django.db.models import QuerySet

from tenants.models import ApiToken, Tenant, User, canonical_email

# The token, its user and the user's tenant (or none), in this column order.
_TOKEN_MODELS = (ApiToken, User, Tenant)


def token_with_user_and_tenant(digest: str) -> ApiToken | None:
    """The API token with this key digest, with ``token.user`` and ``token.user.tenant``
    loaded, in one query; None when no token has it.

    Every API request runs this, so the SQL is written once per process (from the models'
    own fields) instead of being compiled by the ORM each time: the same statement as
    ``select_related("user__tenant").filter(digest=...)``, for a fraction of the Python.
    """
    with connection.cursor() as cursor:
        cursor.execute(_token_sql(), [digest])
        row = cursor.fetchone()
    if row is None:
        return None
    token, user, tenant = _instances(row)
    user.tenant = tenant
    token.user = user
    return token


@cache
def _token_sql() -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"{quote(model._meta.db_table)}.{quote(field.column)}"
        for model in _TOKEN_MODELS
        for field in model._meta.concrete_fields
    )
    token, user, tenant = (quote(model._meta.db_table) for model in _TOKEN_MODELS)
    return (
        f"SELECT {columns} FROM {token} "  # noqa: S608 - table and column names of our models
        f'INNER JOIN {user} ON {user}."id" = {token}."user_id" '
        f'LEFT OUTER JOIN {tenant} ON {tenant}."id" = {user}."tenant_id" '
        f'WHERE {token}."digest" = %s'
    )


def _instances(row: tuple) -> list:
    instances, start = [], 0
    for model in _TOKEN_MODELS:
        fields = model._meta.concrete_fields
        values = row[start : start + len(fields)]
        start += len(fields)
        if model is Tenant and values[0] is None:  # a user without a tenant (staff)
            instances.append(None)
            continue
        instances.append(model.from_db(connection.alias, [f.attname for f in fields], values))
    return instances


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
