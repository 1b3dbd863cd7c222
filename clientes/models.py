from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Now

from clientes import search
from clientes.stored_answer import representation_expression
from tenants.relations import TenantForeignKey, user_reference
from tenants.scoping import TenantScopedManager, TenantScopedModel, TenantScopedQuerySet


class ClienteQuerySet(TenantScopedQuerySet):
    def active(self) -> "ClienteQuerySet":
        """The customers lists show by default: not archived."""
        return self.filter(archivado=False)

    def search(self, term: str) -> "ClienteQuerySet":
        """Case-, accent- and (for documento/telefono) punctuation-insensitive substring match.

        The term is folded in SQL by the same functions that fill the search columns;
        ``contains`` escapes ``%``, ``_`` and ``\\`` so they match literally.
        """
        condition = models.Q(texto_busqueda__contains=search.Pliegue(models.Value(term)))
        if search.has_code_characters(term):
            condition |= models.Q(
                codigos_busqueda__contains=search.SinPuntuacion(models.Value(term))
            )
        return self.filter(condition)


class Cliente(TenantScopedModel):
    """A customer of one tenant."""

    nombre = models.CharField(max_length=200)
    documento = models.CharField(max_length=50, null=True, blank=True)
    email = models.EmailField(max_length=254, null=True, blank=True)
    telefono = models.CharField("teléfono", max_length=50, null=True, blank=True)
    direccion = models.CharField("dirección", max_length=300, null=True, blank=True)
    notas = models.TextField(null=True, blank=True)
    creado_en = models.DateTimeField(db_default=Now(), editable=False)
    # The last change of the customer's own fields (creation counts): what a sync asks for.
    actualizado_en = models.DateTimeField("actualizado en", db_default=Now(), editable=False)
    archivado = models.BooleanField(default=False, db_default=False)
    anonimizado_en = models.DateTimeField("anonimizado en", null=True, blank=True, editable=False)

    # Maintained by PostgreSQL itself, whatever path writes the row.
    documento_canonico = models.GeneratedField(
        expression=search.DocumentoCanonico(models.F("documento")),
        # text, not varchar: upper() may lengthen it under an ICU collation (clientes.0005).
        output_field=models.TextField(),
        db_persist=True,
    )
    texto_busqueda = models.GeneratedField(
        expression=search.search_text_expression(),
        output_field=models.TextField(),
        db_persist=True,
    )
    codigos_busqueda = models.GeneratedField(
        expression=search.search_codes_expression(),
        output_field=models.TextField(),
        db_persist=True,
    )
    # The customer's answer as JSON text, what a page of customers joins
    # (``clientes.stored_answer``).
    representacion = models.GeneratedField(
        expression=representation_expression(),
        output_field=models.TextField(),
        db_persist=True,
        verbose_name="representación",
    )

    objects = TenantScopedManager.from_queryset(ClienteQuerySet)()

    class Meta:
        verbose_name = "cliente"
        verbose_name_plural = "clientes"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "documento_canonico"],
                condition=models.Q(documento_canonico__isnull=False),
                name="clientes_cliente_documento_unico",
            ),
            models.CheckConstraint(
                condition=~models.Q(nombre=""), name="clientes_cliente_nombre_no_vacio"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "actualizado_en"], name="clientes_actualizado_en"),
            GinIndex(
                fields=["texto_busqueda"], opclasses=["gin_trgm_ops"], name="clientes_texto_trgm"
            ),
            GinIndex(
                fields=["codigos_busqueda"],
                opclasses=["gin_trgm_ops"],
                name="clientes_codigos_trgm",
            ),
        ]

    def __str__(self) -> str:
        return self.nombre


class ClienteEvento(TenantScopedModel):
    """A change of a customer, written in the transaction that made it (its history)."""

    class Tipo(models.TextChoices):
        CREADO = "CREADO", "Creado"
        ACTUALIZADO = "ACTUALIZADO", "Actualizado"
        ARCHIVADO = "ARCHIVADO", "Archivado"
        DESARCHIVADO = "DESARCHIVADO", "Desarchivado"
        FUSIONADO = "FUSIONADO", "Fusionado"
        ANONIMIZADO = "ANONIMIZADO", "Anonimizado"

    cliente = TenantForeignKey(
        Cliente, on_delete=models.CASCADE, related_name="eventos", db_index=False
    )
    tipo = models.CharField(max_length=12, choices=Tipo.choices)
    # The API or admin user who made the change; null for commands (and a deleted user).
    usuario = user_reference()
    en = models.DateTimeField(db_default=Now())
    # {wire field: [before, after]} of what changed; null when there is nothing to say.
    cambios = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = "evento de cliente"
        verbose_name_plural = "eventos de cliente"
        ordering = ["en", "id"]
        indexes = [models.Index(fields=["tenant", "cliente", "en"], name="clientes_evento_cliente")]

    def __str__(self) -> str:
        return self.tipo


class ClienteFusion(TenantScopedModel):
    """An id of a customer merged into another: it answers for ``superviviente`` (always the
    last survivor: a later merge of the survivor moves these rows along)."""

    antiguo_id = models.BigIntegerField("id fusionado")
    superviviente = TenantForeignKey(
        Cliente, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = "fusión de cliente"
        verbose_name_plural = "fusiones de clientes"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "antiguo_id"], name="clientes_fusion_uniq")
        ]
        indexes = [
            models.Index(fields=["tenant", "superviviente"], name="clientes_fusion_superviviente")
        ]

    def __str__(self) -> str:
        return f"{self.antiguo_id} → {self.superviviente_id}"
