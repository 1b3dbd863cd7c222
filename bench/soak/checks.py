"""What the soak checks once the load is over: the database against the answers, and the
answers themselves (no 5xx, nothing the operation does not allow)."""

from __future__ import annotations

from bench.soak.load import Stats
from bench.soak.seed import TenantState


def database_checks(states: list[TenantState], stats: Stats) -> dict:
    """Customers of the soak's tenants == seeded + one per 201; no documento stored twice."""
    from django.db import connection

    from clientes.models import Cliente

    result = {"tenants": []}
    for state in states:
        stored = set(Cliente.objects.for_tenant(state.id).values_list("id", flat=True))
        new = stored - state.seeded
        answered = stats.created[state.id]
        result["tenants"].append(
            {
                "slug": state.slug,
                "seeded": len(state.seeded),
                "created_201": len(answered),
                "new_rows": len(new),
                "lost": sorted(answered - stored)[:10],  # 201 answered, row missing
                "unanswered_rows": sorted(new - answered)[:10],  # row without a 201
                "seeded_missing": len(state.seeded - stored),
            }
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM clientes_cliente WHERE tenant_id = ANY(%s) "
            "AND documento_canonico IS NOT NULL GROUP BY tenant_id, documento_canonico "
            "HAVING count(*) > 1) AS dup",
            [[s.id for s in states]],
        )
        result["duplicate_documentos"] = cursor.fetchone()[0]
    return result


def verdict(checks: dict, stats: Stats) -> tuple[list[str], bool]:
    """(one line per check, whether all passed)."""
    lines, ok = [], True
    for t in checks["tenants"]:
        consistent = (
            not t["lost"]
            and not t["unanswered_rows"]
            and not t["seeded_missing"]
            and t["new_rows"] == t["created_201"]
        )
        ok &= consistent
        lines.append(
            f"check {t['slug']}: {t['seeded']} seeded + {t['created_201']} answered 201 -> "
            f"{t['new_rows']} new rows: {'OK' if consistent else 'MISMATCH'}"
            + ("" if consistent else f" lost={t['lost']} unanswered={t['unanswered_rows']}")
        )
    duplicates = checks["duplicate_documentos"]
    server_errors = sum(c for s, c in stats.statuses().items() if s >= 500)
    unexpected = stats.unexpected_count()
    lines += [
        "check duplicate documentos in a tenant: "
        f"{duplicates} {'OK' if duplicates == 0 else 'FAIL'}",
        f"check no 5xx: {server_errors} {'OK' if server_errors == 0 else 'FAIL'}",
        "check no unexpected answers or client errors: "
        f"{unexpected} {'OK' if unexpected == 0 else 'FAIL'}",
    ]
    return lines, ok and duplicates == 0 and server_errors == 0 and unexpected == 0
