"""What a database error says, the same on one PostgreSQL server and on Citus."""

import re

# Citus relays a worker's error with its SQLSTATE and message but without the diagnostic
# fields, and the constraint it names is the shard's copy: ``clientes_cliente_documento_unico``
# reads ``clientes_cliente_documento_unico_102008`` there.
_CONSTRAINT_IN_MESSAGE = re.compile(r'constraint "([^"]+)"')
_SHARD_SUFFIX = re.compile(r"_\d+$")


def violated_constraint(error: Exception) -> str | None:
    """The name of the constraint an ``IntegrityError`` (or its psycopg cause) reports."""
    cause = error.__cause__ or error
    diag = getattr(cause, "diag", None)
    if name := getattr(diag, "constraint_name", None):
        return name
    message = getattr(diag, "message_primary", None) or str(cause)
    if match := _CONSTRAINT_IN_MESSAGE.search(message):
        return _SHARD_SUFFIX.sub("", match.group(1))
    return None
