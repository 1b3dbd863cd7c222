from django import forms
from django.contrib import admin

from clientes.models import Cliente
from clientes.representation import WRITABLE_FIELDS, admin_form_fields
from clientes.selectors import documento_in_use
from clientes.services import MENSAJE_DOCUMENTO_DUPLICADO, cliente_create, cliente_update
from tenants.admin import SameTenantFormMixin, TenantScopedAdmin, TenantScopedInline
from tenants.admin_site import admin_tenant_id

WRITABLE_COLUMNS = [f.column for f in WRITABLE_FIELDS]


class ClienteAdminForm(SameTenantFormMixin, forms.ModelForm):
    """Shows a duplicate documento as a form error instead of a database error."""

    def clean(self):
        cleaned = super().clean()
        documento = (cleaned.get("documento") or "").strip()
        tenant_id = self.form_tenant_id()
        if (
            documento
            and tenant_id
            and documento_in_use(
                tenant_id=tenant_id, documento=documento, exclude_id=self.instance.pk
            )
        ):
            self.add_error("documento", MENSAJE_DOCUMENTO_DUPLICADO)
        return cleaned


@admin.register(Cliente)
class ClienteAdmin(TenantScopedAdmin):
    form = ClienteAdminForm
    list_display = ["nombre", "documento", "email", "telefono", "archivado", "creado_en"]
    list_filter = ["archivado", "creado_en"]
    search_fields = ["nombre"]  # the API's accent-insensitive search replaces it, below
    fields, readonly_fields = admin_form_fields()
    # The customer's sales and quotations: their apps add them (add_cliente_inline), since
    # they build on clientes and not the other way round.
    inlines = []
    ordering = ["-id"]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        return (queryset.search(term) if term else queryset), False

    def save_model(self, request, obj, form, change):
        """Through the services, as the API: the same rules, and the change in the history."""
        if (tenant_id := admin_tenant_id(request)) is not None:
            obj.tenant_id = tenant_id
        written = form.changed_data if change else WRITABLE_COLUMNS
        data = {name: form.cleaned_data[name] for name in written if name in WRITABLE_COLUMNS}
        if change:
            saved = cliente_update(instance=obj, data=data, por=request.user)
        else:
            saved = cliente_create(tenant=obj.tenant, data=data, por=request.user)
        obj.pk, obj.actualizado_en = saved.pk, saved.actualizado_en


class ClienteDocumentosInline(TenantScopedInline):
    """A customer's sales or quotations on its page: read-only, newest first, each a link."""

    show_change_link = True
    can_delete = False
    max_num = 0
    ordering = ["-creado_en", "-id"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields


def add_cliente_inline(inline: type[ClienteDocumentosInline]) -> None:
    """Show ``inline`` (rows of another app that point to the customer) on its admin page."""
    ClienteAdmin.inlines = [*ClienteAdmin.inlines, inline]
