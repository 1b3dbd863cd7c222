"""Webhook subscriptions of a tenant and the deliveries of its events to them."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Now

from eventos.models import Evento
from tenants.relations import TenantForeignKey
from tenants.scoping import TenantScopedModel

TODOS = "*"


class Suscripcion(TenantScopedModel):
    """Where the tenant's events of ``tipos`` are POSTed, signed with ``secreto`` (and, until
    ``secreto_anterior_hasta``, the one it replaced)."""

    url = models.URLField(max_length=2000)
    tipos = ArrayField(models.CharField(max_length=40))
    descripcion = models.TextField("descripción", null=True, blank=True)
    activo = models.BooleanField(default=True)
    secreto = models.CharField(max_length=100, editable=False)
    secreto_anterior = models.CharField(max_length=100, null=True, blank=True, editable=False)
    secreto_anterior_hasta = models.DateTimeField(null=True, blank=True, editable=False)
    # The last ``secuencia`` of the feed handed to this subscription (the fan-out's cursor).
    ultima_secuencia = models.BigIntegerField(default=0, editable=False)
    # Since when every delivery has failed (null: the last one succeeded, or none yet).
    fallando_desde = models.DateTimeField(null=True, blank=True, editable=False)
    creado_en = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        verbose_name = "suscripción de webhook"
        verbose_name_plural = "suscripciones de webhook"
        indexes = [models.Index(fields=["tenant", "activo"], name="webhooks_suscripcion_activa")]

    def __str__(self) -> str:
        return self.url

    def wants(self, tipo: str) -> bool:
        return TODOS in self.tipos or tipo in self.tipos


class Entrega(TenantScopedModel):
    """One event to one subscription: its attempts, the last answer, the next attempt."""

    class Estado(models.TextChoices):
        PENDIENTE = "pendiente", "Pendiente"
        ENTREGADA = "entregada", "Entregada"
        FALLIDA = "fallida", "Fallida"

    suscripcion = TenantForeignKey(
        Suscripcion, on_delete=models.CASCADE, related_name="entregas", db_index=False
    )
    evento = TenantForeignKey(Evento, on_delete=models.CASCADE, related_name="+", db_index=False)
    estado = models.CharField(max_length=10, choices=Estado.choices, default=Estado.PENDIENTE)
    intentos = models.PositiveIntegerField(default=0)
    ultimo_status = models.PositiveIntegerField("último status", null=True, blank=True)
    ultimo_error = models.TextField("último error", null=True, blank=True)
    duracion_ms = models.PositiveIntegerField("duración (ms)", null=True, blank=True)
    proximo_intento = models.DateTimeField("próximo intento", null=True, blank=True)
    creado_en = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = "entrega de webhook"
        verbose_name_plural = "entregas de webhook"
        indexes = [
            models.Index(fields=["tenant", "suscripcion", "-id"], name="webhooks_entregas"),
            models.Index(fields=["tenant", "evento"], name="webhooks_entrega_evento"),
        ]

    def __str__(self) -> str:
        return f"{self.evento_id} → {self.suscripcion_id} ({self.estado})"
