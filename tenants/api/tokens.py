"""The token behind each API request: looked up, with its user and tenant, and counted in the
rate-limit window, in one statement (every API request runs it)."""

import logging
from functools import cache

from django.db import DatabaseError, connection

from tenants.api import ratelimit
from tenants.api.throttling import CountedRequest, Window
from tenants.models import ApiToken, Tenant, User

logger = logging.getLogger(__name__)

# The token, its user and the user's tenant (or none), in this column order.
_TOKEN_MODELS = (ApiToken, User, Tenant)

# Columns no API request reads, left out of the lookup: the password's hash and timestamps,
# which the database driver's Python loader (Django's, for time zones) made the costliest to
# receive. They stay deferred on the instances: Django reads one with a query of its own if
# some code asks for it.
_DEFERRED = {
    ApiToken: {"creado_en"},
    User: {"password", "last_login", "creado_en"},
    Tenant: {"creado_en"},
}


def token_with_user_and_tenant(digest: str, *, count_in: Window | None = None) -> ApiToken | None:
    """The API token with this key digest, with ``token.user`` and ``token.user.tenant``
    loaded, in one query; None when no token has it.

    Every API request runs this, so the SQL is written once per process (from the models'
    own fields) instead of being compiled by the ORM each time: the same statement as
    ``select_related("user__tenant").filter(digest=...)`` without the columns of
    ``_DEFERRED``, for a fraction of the Python.

    With ``count_in`` the same statement also counts the request in the token user's
    rate-limit window (``tenants.api.ratelimit``'s upsert, as a data-modifying CTE); the count is
    left on ``token.counted_request`` for the throttle. When counting fails (the counters'
    table unreachable, a lock or statement timeout), the token is looked up without it and
    the request counts as allowed: the limits must not take the API down.
    """
    hits = None
    with connection.cursor() as cursor:
        if count_in is not None:
            row, hits = _fetch_counting(cursor, digest, count_in)
        if hits is None:
            cursor.execute(_token_sql(), [digest])
            row = cursor.fetchone()
    if row is None:
        return None
    token, user, tenant = _instances(row)
    user.tenant = tenant
    token.user = user
    if count_in is not None:
        key = f"{count_in.key_prefix}{user.pk}"
        token.counted_request = CountedRequest(key, count_in.number, hits or 0)
    return token


def _fetch_counting(cursor, digest: str, window: Window) -> tuple[tuple | None, int | None]:
    """The token's row and the request's count in ``window``; (None, None) when counting
    failed (logged).

    Requests run in autocommit, where a failed statement leaves nothing to undo. Inside a
    transaction (a caller's atomic block, the in-process tests) it would abort it, and a
    savepoint would cost two statements per request, so a failure there propagates.
    """
    params = [digest, window.key_prefix, window.number, window.ends_at]
    try:
        cursor.execute(_token_and_count_sql(), params)
        row = cursor.fetchone()
    except DatabaseError:
        # A lost connection is the database being out of reach, not the counter: no retry
        # (the API answers 503 as for any other statement).
        lost = connection.connection is None or connection.connection.broken
        if connection.in_atomic_block or lost:
            raise
        logger.warning("rate-limit store unavailable; request allowed", exc_info=True)
        return None, None
    ratelimit.prune_now_and_then(cursor)
    # No row: no such token (its count is never read). Otherwise the count comes last.
    return row, (row[-1] if row is not None else 0)


@cache
def _token_sql(*, extra_columns: str = "") -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"{quote(model._meta.db_table)}.{quote(field.column)}"
        for model in _TOKEN_MODELS
        for field in _loaded_fields(model)
    )
    token, user, tenant = (quote(model._meta.db_table) for model in _TOKEN_MODELS)
    return (
        f"SELECT {columns}{extra_columns} FROM {token} "  # noqa: S608 - our tables and columns
        f'INNER JOIN {user} ON {user}."id" = {token}."user_id" '
        f'LEFT OUTER JOIN {tenant} ON {tenant}."id" = {user}."tenant_id" '
        f'WHERE {token}."digest" = %s'
    )


@cache
def _token_and_count_sql() -> str:
    user = connection.ops.quote_name(User._meta.db_table)
    found = _token_sql(extra_columns=f', {user}."id" AS counted_user')
    return (
        f"WITH found AS ({found}), counted AS ({ratelimit.INSERT_SQL} "  # noqa: S608 - constants
        "SELECT %s::text || found.counted_user::text, %s, 1, %s FROM found "
        f"{ratelimit.COUNT_CONFLICT_SQL}) "
        "SELECT found.*, (SELECT hits FROM counted) FROM found"
    )


@cache
def _loaded_fields(model) -> tuple:
    return tuple(f for f in model._meta.concrete_fields if f.attname not in _DEFERRED[model])


@cache
def _loaded_names(model) -> tuple[str, ...]:
    return tuple(f.attname for f in _loaded_fields(model))


def _instances(row: tuple) -> list:
    instances, start = [], 0
    for model in _TOKEN_MODELS:
        names = _loaded_names(model)
        values = row[start : start + len(names)]
        start += len(names)
        if model is Tenant and values[0] is None:  # a user without a tenant (staff)
            instances.append(None)
            continue
        instances.append(model.from_db(connection.alias, names, values))
    return instances
