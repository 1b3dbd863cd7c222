"""The project's admin site: who may use it, and a login limited like the API's.

- Login attempts are counted with the API login's own throttles (the same classes, so the
  same counters and rates): the admin is not a way around them, both doors share the counts.
- A user who is not ACTIVO, or whose empresa is suspended, can neither log in nor keep using
  an open admin session, superuser or not. The check runs on every admin request against the
  user and empresa loaded afresh, so a suspension applies from the very next request.
- Every admin page is shown in its empresa's calendar (``admin_time_zone``): the times, the
  "Hoy"/"Últimos 7 días" filters and the date hierarchy follow the shop's day, as its rules do
  (a sale is cancelled the same day in the empresa's zone).
"""

import math
from functools import update_wrapper

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from config.api.ids import parse_id
from tenants.api.authentication import MENSAJE_EMPRESA_SUSPENDIDA, MENSAJE_INACTIVO
from tenants.models import Tenant, User
from tenants.views import LoginView as ApiLoginView

MENSAJE_DEMASIADOS_INTENTOS = "Demasiados intentos; intente de nuevo más tarde"
MENSAJE_SESION_CERRADA = "Su sesión se cerró."
MENSAJE_SELECCION_INVALIDA = "Selección no válida: los identificadores deben ser números."


def is_tenant_admin(user) -> bool:
    """A tenant's own administrator: staff, ADMIN role, active, with a tenant."""
    return bool(
        user.is_active
        and user.is_staff
        and getattr(user, "rol", None) == User.Rol.ADMIN
        and getattr(user, "tenant_id", None)
        and user.estado == User.Estado.ACTIVO
    )


def admin_tenant_id(request) -> int | None:
    """The empresa an admin user works in: None for platform superusers (every empresa), else
    their own (0 when they have none: it matches no row). The admin's one tenant chooser."""
    user = request.user
    return None if user.is_superuser else (user.tenant_id or 0)


def admin_time_zone(request):
    """The calendar an admin page is shown in: the staff user's empresa's zone; for a platform
    superuser, the zone of the empresa a changelist is filtered by (``tenant__id__exact``), or
    UTC. A superuser's page of one row switches to that row's empresa
    (``TenantScopedAdmin.changeform_view``)."""
    user = request.user
    if not user.is_authenticated:
        return None
    if not user.is_superuser:
        return user.tenant.tz if user.tenant_id else None
    tenant_id = parse_id(request.GET.get("tenant__id__exact", ""))
    tenant = Tenant.objects.filter(pk=tenant_id).first() if tenant_id else None
    return tenant.tz if tenant is not None else None


def admin_refusal(user) -> str | None:
    """Why ``user`` may not use the admin at all (the message to show), or None.

    Superusers included: a platform superuser (no empresa) is refused only for their own
    estado; anyone of a suspended empresa is refused too.
    """
    if not user.may_sign_in:
        return MENSAJE_INACTIVO
    if user.tenant_id and user.tenant.estado != Tenant.Estado.ACTIVA:
        return MENSAJE_EMPRESA_SUSPENDIDA
    return None


class ValidSelectionMixin:
    """A changelist action posted with a selection that is not ids answers 400 and does
    nothing; Django would filter ``pk__in`` with the raw values and fail with a 500."""

    def response_action(self, request, queryset):
        pk = self.model._meta.pk
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                pk.to_python(value)
        except ValidationError:
            return HttpResponseBadRequest(MENSAJE_SELECCION_INVALIDA)
        return super().response_action(request, queryset)


class _LoginAttempt:
    """What the API login's throttles read from a request (its address and the email sent),
    for a login posted as an HTML form."""

    def __init__(self, request, email):
        self.META = request.META
        self.headers = request.headers
        self.data = {"email": email}


def login_throttle_wait(request, email) -> float | None:
    """Count one login attempt against every limit of the API's login (per address and per
    account); the seconds to wait when any is exceeded, else None."""
    attempt = _LoginAttempt(request, email)
    throttles = [throttle() for throttle in ApiLoginView.throttle_classes]
    # Every counter is incremented, as DRF does: no short-circuit after the first refusal.
    waits = [t.wait() for t in throttles if not t.allow_request(attempt, None)]
    return max(waits) if waits else None


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login form: throttled before the password is checked, and closed to
    users who are not ACTIVO or whose empresa is suspended."""

    retry_after: float | None = None

    def clean(self):
        # Counted before authenticating, right password or wrong, like the API's login.
        email = self.data.get("username")
        self.retry_after = login_throttle_wait(self.request, email)
        if self.retry_after is not None:
            raise ValidationError(MENSAJE_DEMASIADOS_INTENTOS, code="throttled")
        return super().clean()

    def confirm_login_allowed(self, user):
        if reason := admin_refusal(user):
            raise ValidationError(reason, code="inactive")
        super().confirm_login_allowed(user)


class TenantAdminSite(admin.AdminSite):
    """``admin.site`` of the project (see ``tenants.apps.TenantAdminConfig``)."""

    login_form = AdminLoginForm
    refused_template = "tenants/admin/acceso_rechazado.html"

    def has_permission(self, request):
        return super().has_permission(request) and admin_refusal(request.user) is None

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        # Before Django's own check, which would only send a refused user to the login page:
        # their session is ended here and they are told why, with a 403.
        def refuse_closed_accounts(request, *args, **kwargs):
            if request.user.is_authenticated and (reason := admin_refusal(request.user)):
                return self.refused(request, reason)
            # Rendered inside, so the page's times are in its calendar; the API and other
            # requests of this thread keep UTC.
            with timezone.override(admin_time_zone(request)):
                response = guarded(request, *args, **kwargs)
                if callable(getattr(response, "render", None)):
                    response.render()
            return response

        return update_wrapper(refuse_closed_accounts, guarded)

    @method_decorator(never_cache)
    def refused(self, request, reason: str):
        """403 for a session whose user or empresa was closed; the session is ended."""
        logout(request)
        context = {
            **self.each_context(request),
            "title": reason,
            "motivo": reason,
            "sesion_cerrada": MENSAJE_SESION_CERRADA,
        }
        request.current_app = self.name
        return TemplateResponse(request, self.refused_template, context, status=403)

    def login(self, request, extra_context=None):
        # A closed account's session ends here, and the form says why.
        refused = request.user.is_authenticated and admin_refusal(request.user)
        if request.method == "GET" and refused:
            logout(request)
            messages.error(request, refused)
        response = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if getattr(form, "retry_after", None) is not None:
            # The form is shown again with the message; the status says what happened.
            response.status_code = 429
            response["Retry-After"] = str(math.ceil(form.retry_after))
        return response
