"""Numbering the tenant's events after they commit: why the feed never skips one.

A change writes its event in its own transaction with ``secuencia`` null. Numbers are given
later by ``sequence_events``, one tenant at a time, to events that are already committed:

1. It locks the tenant's ``Secuencia`` row, so two sequencers of one tenant never overlap;
   one that finds it locked leaves the work to the one running (``SKIP LOCKED``): a feed
   request never waits for another.
2. Only then, in a second statement, it reads the events still unnumbered. Under READ
   COMMITTED a statement sees what was committed before it started, so this one sees every
   number the previous sequencer gave (it committed before releasing the lock), and it never
   sees an event whose transaction is still open.
3. It numbers what it saw after the tenant's last number, in insertion order, and stores the
   new last number with the row it locked.

So a number is given only to a committed event, and always above every number given before.
An event whose transaction commits late (it started first, it held its locks for seconds) is
numbered by a later run, above everything already shown: a consumer that resumes after the
last ``secuencia`` it received cannot have passed it. Ordering by a sequence at insert time
or by commit timestamps could not promise that: a smaller number can commit after a larger
one has been read.

On Citus every statement names the tenant, the distribution column, so each runs on the
tenant's shard alone, with that shard's READ COMMITTED semantics: the same argument holds.
"""

from django.db import connection, transaction

BATCH = 10_000  # numbers given per run at most; the next run takes the rest

CREATE_COUNTER = """
INSERT INTO eventos_secuencia (tenant_id, ultima, purgada_hasta) VALUES (%s, 0, 0)
ON CONFLICT (tenant_id) DO NOTHING
"""
LOCK_COUNTER = """
SELECT ultima FROM eventos_secuencia WHERE tenant_id = %s FOR UPDATE SKIP LOCKED
"""

NUMBER_EVENTS = """
WITH pendientes AS (
    SELECT id, %s + row_number() OVER (ORDER BY id) AS secuencia
    FROM eventos_evento
    WHERE tenant_id = %s AND secuencia IS NULL
    ORDER BY id
    LIMIT %s
)
UPDATE eventos_evento e SET secuencia = p.secuencia
FROM pendientes p
WHERE e.tenant_id = %s AND e.id = p.id
RETURNING e.secuencia
"""


def sequence_events(*, tenant_id: int) -> int:
    """Number the tenant's committed, unnumbered events (see the module); returns how many
    (0 too when another sequencer of the tenant is running).

    Meant to run in its own short transaction (the feed's request, the worker). Inside a
    longer one it stays correct, the numbers of the caller's own events becoming visible
    with them, but the tenant's counter stays locked until that transaction ends.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CREATE_COUNTER, [tenant_id])
        cursor.execute(LOCK_COUNTER, [tenant_id])
        locked = cursor.fetchone()
        if locked is None:
            return 0
        (ultima,) = locked
        cursor.execute(NUMBER_EVENTS, [ultima, tenant_id, BATCH, tenant_id])
        numbered = [row[0] for row in cursor.fetchall()]
        if numbered:
            cursor.execute(
                "UPDATE eventos_secuencia SET ultima = %s WHERE tenant_id = %s",
                [max(numbered), tenant_id],
            )
    return len(numbered)
