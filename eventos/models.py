"""The tenant's feed of changes (a transactional outbox): one ``Evento`` per change of a
customer, sale or quotation, written in the change's own transaction, numbered after commit
(``eventos.sequencing``)."""

import uuid

from django.db import models
from django.db.models.functions import Now

from tenants.relations import user_reference
from tenants.scoping import TenantScopedModel

TIPOS = (
    "cliente.creado",
    "cliente.actualizado",
    "cliente.archivado",
    "cliente.desarchivado",
    "cliente.fusionado",
    "cliente.anonimizado",
    "cliente.eliminado",
    "venta.creada",
    "venta.cancelada",
    "cotizacion.creada",
    "cotizacion.cancelada",
    "cotizacion.convertida",
)


class Evento(TenantScopedModel):
    """A published change. ``secuencia`` is null until the sequencer numbers it, after its
    transaction committed; the feed shows numbered events only."""

    uid = models.UUIDField("identificador", default=uuid.uuid4, editable=False)
    secuencia = models.BigIntegerField(null=True, blank=True, editable=False)
    tipo = models.CharField(max_length=40, choices=[(t, t) for t in TIPOS])
    en = models.DateTimeField(db_default=Now())
    # The API or admin user who made the change; null for commands (and a deleted user).
    usuario = user_reference()
    datos = models.JSONField()

    class Meta:
        verbose_name = "evento publicado"
        verbose_name_plural = "eventos publicados"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "secuencia"], name="eventos_secuencia_uniq")
        ]
        indexes = [
            # What the sequencer looks for: the tenant's events not numbered yet.
            models.Index(
                fields=["tenant", "id"],
                condition=models.Q(secuencia__isnull=True),
                name="eventos_sin_secuencia",
            ),
            models.Index(fields=["tenant", "en"], name="eventos_en"),
        ]

    def __str__(self) -> str:
        return f"{self.tipo} #{self.secuencia or '-'}"

    @property
    def public_id(self) -> str:
        """The event's ``id`` on the wire: globally unique, the same on every delivery."""
        return f"evt_{self.uid.hex}"


class Secuencia(TenantScopedModel):
    """The tenant's last ``secuencia`` given, and the highest one purged (older cursors: 410).
    Its row lock makes the sequencer run one at a time per tenant."""

    ultima = models.BigIntegerField(default=0)
    purgada_hasta = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "secuencia de eventos"
        verbose_name_plural = "secuencias de eventos"
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="eventos_secuencia_por_tenant")
        ]

    def __str__(self) -> str:
        return str(self.ultima)
