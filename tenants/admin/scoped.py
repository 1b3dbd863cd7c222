from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.utils import timezone

from config.api.ids import parse_id
from core.errors import DomainError
from tenants.admin.site import ValidSelectionMixin, admin_tenant_id, is_tenant_admin
from tenants.models import User
from tenants.scoping import TenantScopedModel

MENSAJE_OTRA_EMPRESA = "Pertenece a otra empresa."


def scoped_rows(model, request):
    """``model``'s rows the admin user may pick: all for superusers, else their tenant's."""
    tenant_id = admin_tenant_id(request)
    if issubclass(model, TenantScopedModel):
        manager = model.objects
        return manager.unscoped() if tenant_id is None else manager.for_tenant(tenant_id)
    if model is User and tenant_id is not None:
        return User.objects.filter(tenant_id=tenant_id)
    return None


class SameTenantFormMixin:
    """Refuses a related row (customer, sale, user) of a tenant other than the form's own."""

    admin_tenant_id: int | None = None  # set per request by the admin; None for superusers

    def form_tenant_id(self) -> int | None:
        """The tenant the edited row belongs (or will belong) to."""
        tenant = self.cleaned_data.get("tenant")
        return self.admin_tenant_id or (tenant.pk if tenant else self.instance.tenant_id)

    def clean(self):
        cleaned = super().clean()
        tenant_id = self.form_tenant_id()
        for name, value in list(cleaned.items()):  # add_error() removes from cleaned_data
            related = isinstance(value, (TenantScopedModel, User))
            if related and name != "tenant" and value.tenant_id != tenant_id:
                self.add_error(name, MENSAJE_OTRA_EMPRESA)
        return cleaned


class TenantScopedAdminMixin:
    """Superusers see every tenant (the greppable ``unscoped()``); a tenant's staff only theirs.

    Foreign keys (and autocompletes, which go through the related admin's queryset) are limited
    to the same tenant, forms refuse rows of another tenant, and the ``tenant`` of a new row is
    stamped from the staff user. A tenant's ADMIN needs no Django model permissions for its own
    tenant's data.
    """

    def has_module_permission(self, request):
        return is_tenant_admin(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_tenant_admin(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_tenant_admin(request.user) or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_tenant_admin(request.user) or super().has_change_permission(request, obj)

    def get_queryset(self, request):
        return scoped_rows(self.model, request).order_by(*(self.get_ordering(request) or ()))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # A stored row never changes tenant: its sales, items and customer would be left behind.
        return [*readonly, "tenant"] if obj is not None and request.user.is_superuser else readonly

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if request.user.is_superuser else [f for f in fields if f != "tenant"]

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        return exclude if request.user.is_superuser else [*exclude, "tenant"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = scoped_rows(db_field.related_model, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def actor(request, row: TenantScopedModel) -> User | None:
    """Who an admin change is made by: the admin user when they belong to the row's tenant,
    else None (the platform, e.g. a superuser of no tenant)."""
    user = request.user
    return user if getattr(user, "tenant_id", None) == row.tenant_id else None


class TenantScopedAdmin(ValidSelectionMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    def confirmation(self, request, *, template: str, action: str, title: str, rows, form=None):
        """The intermediate page of ``action`` on ``rows`` (``template`` extends
        ``tenants/admin/confirmacion.html``): what it will do, its ``form``, then the same
        POST again with ``post=yes``."""
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "rows": rows,
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, template, context)

    def run_per_row(self, request, rows, operation) -> None:
        """Apply ``operation(row, por) -> success message`` to each row in its own
        transaction (the service's), reporting each success and each refusal."""
        for row in rows:
            try:
                mensaje = operation(row, actor(request, row))
            except DomainError as exc:
                self.message_user(request, f"{row}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, mensaje, messages.SUCCESS)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A superuser's page of one row is shown in that row's empresa's calendar (the site
        # restores the previous zone after rendering).
        pk = parse_id(object_id) if object_id is not None else None
        if pk is not None and request.user.is_superuser:
            row = self.get_queryset(request).select_related("tenant").filter(pk=pk).first()
            if row is not None:
                timezone.activate(row.tenant.tz)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        return ["tenant", *filters] if request.user.is_superuser else filters

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        bases = (form,) if issubclass(form, SameTenantFormMixin) else (SameTenantFormMixin, form)
        return type(
            form.__name__,
            bases,
            {"admin_tenant_id": admin_tenant_id(request)},
        )

    def save_model(self, request, obj, form, change):
        if (tenant_id := admin_tenant_id(request)) is not None:
            obj.tenant_id = tenant_id
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            inline = inline_form.instance
            if isinstance(inline, TenantScopedModel) and not inline.tenant_id:
                inline.tenant_id = form.instance.tenant_id
        super().save_formset(request, form, formset, change)


class TenantScopedInlineFormSet(BaseInlineFormSet):
    """Inline rows are looked up through the scoped queryset (Django's hidden ``id`` field
    would otherwise use the model's default manager, which refuses unscoped queries)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        pk_field = form.fields.get(self.model._meta.pk.name)
        if isinstance(pk_field, forms.ModelChoiceField):
            pk_field.queryset = self.queryset


class TenantScopedInline(TenantScopedAdminMixin, admin.TabularInline):
    formset = TenantScopedInlineFormSet
    extra = 0

    def has_delete_permission(self, request, obj=None):
        # Removing a line of one's own sale or quotation; whole records are never deleted.
        return is_tenant_admin(request.user) or super().has_delete_permission(request, obj)
