"""A scenario: one request shape sent identically to a, b and c, with all its runs need."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass
class Scenario:
    name: str
    group: str  # list | search | cursor | historial | write | sales (the chart's, the targets')
    title: str
    method: str
    path: str  # with the query string; "{id}" stands for one of ``examples`` in the checks
    token: str
    citus: bool = False  # one of the main scenarios, on the Citus cluster too by default
    examples: Iterator[int] = field(default_factory=lambda: iter(()))
    lua: Callable[[int], str] | None = None  # the wrk script's request(), given wrk's threads
    body: Callable[[], dict] | None = None  # a body like the Lua's, for the checks
    undo: Callable[[object], int] | None = None  # after each run (psycopg): customers deleted
    family: str = ""  # set by the registry

    def example_path(self) -> str:
        """The path of one request for the checks (a new ``{id}`` at each call)."""
        return (
            self.path.replace("{id}", str(next(self.examples)))
            if "{id}" in self.path
            else self.path
        )


def bench_user(tenant, email: str, nombre: str, rol: str | None = None) -> tuple[int, str]:
    """(id, a fresh API key) of the bench's user ``email`` of ``tenant``, made when missing."""
    from tenants.models import User
    from tenants.services import token_issue

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, nombre=nombre, tenant=tenant)
    if rol is not None and user.rol != rol:
        user.rol = rol
        user.save(update_fields=["rol"])
    user.tokens.all().delete()
    return user.pk, token_issue(user=user, dias=0)[1]


def django_connection():
    """The psycopg connection under Django's (autocommit), to share the psycopg statements."""
    from django.db import connection

    connection.ensure_connection()
    return connection.connection
