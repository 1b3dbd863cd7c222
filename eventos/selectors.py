"""Reading the tenant's feed: numbered events after a cursor."""

from django.db.models import QuerySet

from core.errors import GoneError
from eventos.models import Evento, Secuencia

MENSAJE_CURSOR_ANTIGUO = "El cursor es más antiguo que los eventos guardados"


def eventos_after(*, tenant_id: int, despues: int, limite: int, tipos=()) -> QuerySet:
    """The tenant's numbered events with ``secuencia`` above ``despues``, in order, at most
    ``limite``, of ``tipos`` when given. A ``despues`` between 0 (start again) and what
    retention purged is a ``GoneError``: events the consumer never saw are gone."""
    purgada_hasta = (
        Secuencia.objects.for_tenant(tenant_id).values_list("purgada_hasta", flat=True).first()
    )
    if purgada_hasta and 0 < despues < purgada_hasta:
        raise GoneError(MENSAJE_CURSOR_ANTIGUO)
    eventos = Evento.objects.for_tenant(tenant_id).filter(secuencia__gt=despues)
    if tipos:
        eventos = eventos.filter(tipo__in=tipos)
    return eventos.select_related("usuario").order_by("secuencia")[:limite]


def last_secuencia(*, tenant_id: int) -> int:
    """The tenant's highest ``secuencia`` given so far (0 before the first)."""
    ultima = Secuencia.objects.for_tenant(tenant_id).values_list("ultima", flat=True).first()
    return ultima or 0
