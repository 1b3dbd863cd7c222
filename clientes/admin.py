from django import forms
from django.contrib import admin, messages

from clientes.lifecycle import cliente_anonymize, cliente_delete
from clientes.merge import cliente_merge
from clientes.models import Cliente, ClienteEvento
from clientes.representation import WRITABLE_FIELDS, admin_form_fields
from clientes.selectors import documento_in_use
from clientes.services import MENSAJE_DOCUMENTO_DUPLICADO, cliente_create, cliente_update
from core.errors import DomainError
from tenants.admin.scoped import SameTenantFormMixin, TenantScopedAdmin, TenantScopedInline, actor
from tenants.admin.site import admin_tenant_id

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


class SupervivienteForm(forms.Form):
    """The merge action's question: which of the selected customers stays."""

    superviviente = forms.TypedChoiceField(
        label="Cliente que queda", coerce=int, widget=forms.RadioSelect
    )

    def __init__(self, *args, clientes: list[Cliente], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["superviviente"].choices = [
            (c.pk, f"#{c.pk} {c} ({c.documento or 'sin documento'})") for c in clientes
        ]


class ClienteEventoInline(TenantScopedInline):
    """The customer's change history on its page, oldest first: read only."""

    model = ClienteEvento
    fields = ["tipo", "usuario", "en", "cambios"]
    readonly_fields = fields
    ordering = ["en", "id"]
    can_delete = False
    max_num = 0
    verbose_name_plural = "historia de cambios"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("usuario")


@admin.register(Cliente)
class ClienteAdmin(TenantScopedAdmin):
    form = ClienteAdminForm
    list_display = ["nombre", "documento", "email", "telefono", "archivado", "creado_en"]
    list_filter = ["archivado", "creado_en"]
    search_fields = ["nombre"]  # the API's accent-insensitive search replaces it, below
    fields, readonly_fields = admin_form_fields()
    # The customer's history, then its sales and quotations: their apps add them
    # (add_cliente_inline), since they build on clientes and not the other way round.
    inlines = [ClienteEventoInline]
    actions = ["archivar", "desarchivar", "fusionar", "anonimizar"]
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
            saved = cliente_create(tenant=obj.tenant, por=request.user, **data)
        obj.pk, obj.actualizado_en = saved.pk, saved.actualizado_en

    def delete_model(self, request, obj):
        """Through the service, as the API's DELETE: the history goes, merged ids stop
        answering (only a superuser sees the delete; the page refuses customers with sales)."""
        cliente_delete(cliente=obj, por=actor(request, obj))

    def delete_queryset(self, request, queryset):
        for cliente in queryset.order_by("id"):
            self.delete_model(request, cliente)

    @admin.action(description="Archivar los clientes seleccionados", permissions=["change"])
    def archivar(self, request, queryset):
        """Archive each selected customer through the service (its event included)."""
        self._set_archived(request, queryset, archivado=True, done="archivado")

    @admin.action(description="Desarchivar los clientes seleccionados", permissions=["change"])
    def desarchivar(self, request, queryset):
        self._set_archived(request, queryset, archivado=False, done="desarchivado")

    def _set_archived(self, request, queryset, *, archivado: bool, done: str) -> None:
        def change(cliente, por):
            cliente_update(instance=cliente, data={"archivado": archivado}, por=por)
            return f"{cliente}: {done}."

        self.run_per_row(request, queryset.order_by("id"), change)

    @admin.action(description="Fusionar los clientes seleccionados en uno", permissions=["change"])
    def fusionar(self, request, queryset):
        """Ask which customer stays, then merge each other selected one into it."""
        clientes = list(queryset.order_by("id"))
        if len(clientes) < 2 or len({c.tenant_id for c in clientes}) > 1:
            mensaje = "Seleccione dos o más clientes de una misma empresa para fusionarlos."
            self.message_user(request, mensaje, messages.WARNING)
            return None
        form = SupervivienteForm(
            request.POST if request.POST.get("post") else None, clientes=clientes
        )
        if not form.is_valid():
            return self._confirmation(request, "fusionar", "Fusionar clientes", clientes, form)
        chosen = form.cleaned_data["superviviente"]
        superviviente = next(c for c in clientes if c.pk == chosen)
        for duplicado in (c for c in clientes if c.pk != chosen):
            try:
                superviviente = cliente_merge(
                    superviviente=superviviente,
                    duplicado_id=duplicado.pk,
                    por=actor(request, superviviente),
                )
            except DomainError as exc:
                self.message_user(request, f"{duplicado}: {exc.message}", messages.ERROR)
            else:
                mensaje = f"#{duplicado.pk} {duplicado}: fusionado en #{superviviente.pk}."
                self.message_user(request, mensaje, messages.SUCCESS)
        return None

    @admin.action(
        description="Anonimizar los clientes seleccionados (irreversible)", permissions=["change"]
    )
    def anonimizar(self, request, queryset):
        """Ask for confirmation, then erase each selected customer through the service."""
        clientes = list(queryset.order_by("id"))
        if not request.POST.get("post"):
            return self._confirmation(request, "anonimizar", "Anonimizar clientes", clientes)

        def erase(cliente, por):
            cliente_anonymize(cliente=cliente, por=por)
            return f"Cliente #{cliente.pk}: anonimizado."

        self.run_per_row(request, clientes, erase)
        return None

    def _confirmation(self, request, action: str, title: str, clientes, form=None):
        return self.confirmation(
            request,
            template=f"admin/clientes/{action}.html",
            action=action,
            title=title,
            rows=clientes,
            form=form,
        )


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
