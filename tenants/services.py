"""Writes for tenants, users and API tokens."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from tenants.models import DEFAULT_TIME_ZONE, ApiToken, Tenant, User, canonical_email


class TenantError(ValueError):
    """A tenant or user operation that cannot be done; the message is for the operator."""


@transaction.atomic
def tenant_create(*, slug: str, nombre: str, zona_horaria: str = DEFAULT_TIME_ZONE) -> Tenant:
    """Create a tenant (empresa) whose calendar is ``zona_horaria`` (an IANA name). A slug
    already in use is an error; an unknown zone is a ValidationError on ``zona_horaria``."""
    slug, nombre, zona_horaria = slug.strip(), nombre.strip(), zona_horaria.strip()
    if not nombre:
        raise TenantError("El nombre de la empresa es obligatorio")
    tenant = Tenant(slug=slug, nombre=nombre, zona_horaria=zona_horaria)
    tenant.full_clean(validate_unique=False)
    _save_unique(tenant, taken=f"Ya existe una empresa con el slug «{slug}»")
    return tenant


@transaction.atomic
def user_create(
    *,
    tenant: Tenant | None,
    email: str,
    nombre: str,
    password: str | None,
    rol: str = User.Rol.USUARIO,
    estado: str = User.Estado.ACTIVO,
    is_staff: bool = False,
) -> User:
    """Create a member of ``tenant``. Without a password the user cannot log in with one;
    ``is_staff``: they may use the Django admin, where they see their own tenant only."""
    user = User(
        email=canonical_email(email),
        nombre=nombre.strip(),
        tenant=tenant,
        rol=rol,
        estado=estado,
        is_staff=is_staff,
    )
    user.full_clean(exclude=["password"], validate_unique=False)
    if password:
        validate_password(password, user)
    user.set_password(password or None)
    _save_unique(user, taken=f"Ya existe un usuario con el email «{user.email}»")
    return user


def _save_unique(instance: Tenant | User, *, taken: str) -> None:
    """Insert ``instance`` in a savepoint; a unique key already in use is ``taken``."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise TenantError(taken) from exc


@transaction.atomic
def token_issue(*, user: User, dias: int | None = None) -> tuple[ApiToken, str]:
    """Create an API token for ``user``; returns it and its key (the only time it is known)."""
    dias = settings.API_TOKEN_TTL_DAYS if dias is None else dias
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user,
        prefijo=key[: ApiToken.PREFIX_LENGTH],
        digest=ApiToken.digest_of(key),
        expira_en=timezone.now() + timedelta(days=dias) if dias else None,
    )
    return token, key


@transaction.atomic
def token_revoke(*, prefijo: str | None = None, user: User | None = None) -> int:
    """Delete the tokens with key prefix ``prefijo`` and/or of ``user``; returns how many."""
    if not prefijo and user is None:
        raise TenantError("Indique el prefijo del token o el usuario")
    tokens = ApiToken.objects.all()
    if prefijo:
        tokens = tokens.filter(prefijo=prefijo)
    if user is not None:
        tokens = tokens.filter(user=user)
    deleted, _ = tokens.delete()
    return deleted


@transaction.atomic
def tenant_suspend(*, tenant: Tenant) -> Tenant:
    """Cut a shop off: every request of its users (token or session, API or admin) is refused
    from their next one on. Nothing is deleted; ``tenant_reactivate`` undoes it."""
    return _set_tenant_estado(tenant, Tenant.Estado.SUSPENDIDA)


@transaction.atomic
def tenant_reactivate(*, tenant: Tenant) -> Tenant:
    """Let a suspended shop's users back in."""
    return _set_tenant_estado(tenant, Tenant.Estado.ACTIVA)


def _set_tenant_estado(tenant: Tenant, estado: str) -> Tenant:
    Tenant.objects.filter(pk=tenant.pk).update(estado=estado)
    tenant.estado = estado
    return tenant
