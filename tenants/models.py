import hashlib
import secrets
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower, Now
from django.utils import timezone

from tenants.scoping import TenantScopedModel

DEFAULT_TIME_ZONE = "America/Bogota"


@cache
def _time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(name: str) -> None:
    """An IANA time zone name known to this machine (``America/Bogota``, ``UTC``)."""
    if name not in _time_zone_names():
        raise ValidationError(
            "«%(name)s» no es una zona horaria IANA (por ejemplo America/Bogota).",
            params={"name": name},
            code="invalid_time_zone",
        )


class Tenant(models.Model):
    """A shop (empresa). Every tenant-owned row carries one."""

    class Estado(models.TextChoices):
        ACTIVA = "ACTIVA", "Activa"
        SUSPENDIDA = "SUSPENDIDA", "Suspendida"

    slug = models.SlugField(max_length=50, unique=True)
    nombre = models.CharField(max_length=200)
    # A suspended shop's users are refused on their next request (API and admin).
    estado = models.CharField(max_length=10, choices=Estado.choices, default=Estado.ACTIVA)
    # The shop's calendar: "the same day" of a sale and the days of date filters.
    zona_horaria = models.CharField(
        max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone]
    )
    creado_en = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "empresa"
        verbose_name_plural = "empresas"
        ordering = ["nombre"]

    def __str__(self) -> str:
        return self.nombre

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.zona_horaria)


def canonical_email(email: str) -> str:
    """The one stored form of an email (the login): trimmed and lower-cased."""
    return email.strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("El email es obligatorio")
        user = self.model(email=canonical_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, rol=User.Rol.ADMIN)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # Emails are stored lower-cased (see User.save), so the unique index serves the login.
        return self.get(email=canonical_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an email; belongs to at most one tenant."""

    class Rol(models.TextChoices):
        ADMIN = "ADMIN", "Administrador"
        USUARIO = "USUARIO", "Usuario"

    class Estado(models.TextChoices):
        PENDIENTE = "PENDIENTE", "Pendiente"
        ACTIVO = "ACTIVO", "Activo"
        SUSPENDIDO = "SUSPENDIDO", "Suspendido"

    email = models.EmailField(max_length=254, unique=True)
    nombre = models.CharField(max_length=200)
    tenant = models.ForeignKey(
        Tenant,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="usuarios",
        verbose_name="empresa",
    )
    rol = models.CharField(max_length=10, choices=Rol.choices, default=Rol.USUARIO)
    estado = models.CharField(max_length=10, choices=Estado.choices, default=Estado.ACTIVO)
    is_staff = models.BooleanField("acceso al admin", default=False)
    is_active = models.BooleanField("cuenta habilitada", default=True)
    creado_en = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["nombre"]

    class Meta:
        verbose_name = "usuario"
        verbose_name_plural = "usuarios"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="tenants_user_email_ci_unique"),
            # Target of the composite foreign keys that keep sellers inside their tenant.
            models.UniqueConstraint(fields=["tenant", "id"], name="tenants_user_tenant_id_uniq"),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        # Emails are the login: one canonical (lower-case) form, whatever path writes it.
        self.email = canonical_email(self.email)
        super().save(*args, **kwargs)

    @property
    def may_sign_in(self) -> bool:
        """Django's account switch (``is_active``) on and the domain's ``estado`` ACTIVO."""
        return self.is_active and self.estado == self.Estado.ACTIVO


class ApiToken(models.Model):
    """An API token. Only a SHA-256 digest of the key is stored; the key is shown once."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tokens",
        verbose_name="usuario",
    )
    prefijo = models.CharField(max_length=PREFIX_LENGTH, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    creado_en = models.DateTimeField(default=timezone.now)
    expira_en = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "token de API"
        verbose_name_plural = "tokens de API"

    def __str__(self) -> str:
        return f"{self.prefijo}… ({self.user})"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate_key() -> str:
        return secrets.token_hex(20)

    @property
    def expired(self) -> bool:
        return self.expira_en is not None and self.expira_en <= timezone.now()


class IdempotentRequest(TenantScopedModel):
    """The answer to a write sent with an ``Idempotency-Key``, kept for 24 hours per tenant,
    user and key, with a fingerprint of the request that produced it."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    clave = models.CharField(max_length=255)
    huella = models.CharField(max_length=64)  # SHA-256 of method, path and body
    status = models.PositiveSmallIntegerField()
    cuerpo = models.BinaryField()  # the JSON body as it was sent
    location = models.CharField(max_length=2048, blank=True, default="")
    creado_en = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = "solicitud idempotente"
        verbose_name_plural = "solicitudes idempotentes"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "usuario", "clave"], name="tenants_idempotency_key_uniq"
            )
        ]
        indexes = [models.Index(fields=["tenant", "creado_en"], name="tenants_idempotency_age")]

    def __str__(self) -> str:
        return self.clave
