"""Admin pieces shared by sales and quotations: documents are created, cancelled and converted
only through the services (the API's rules); afterwards only an open document's ``notas``
change, a closed one is read-only, and nothing is ever deleted."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Value
from django.http import HttpResponseRedirect

from clientes.search import Pliegue
from comercial.models import Documento
from comercial.services import MAX_ITEMS, NewItem, lock, total_of, validate_items
from config.api.ids import parse_id
from core.errors import ConflictError, DomainError
from tenants.admin.scoped import (
    TenantScopedAdmin,
    TenantScopedInline,
    TenantScopedInlineFormSet,
    scoped_rows,
)
from tenants.models import User

MENSAJE_CERRADO = "El documento está cerrado y ya no se puede modificar"
PLANTILLA_CANCELAR = "admin/documentos/cancelar.html"


def _as_validation_error(check, *args) -> None:
    try:
        check(*args)
    except DomainError as exc:
        raise forms.ValidationError(exc.message) from exc


class ItemForm(forms.ModelForm):
    """A line as typed in the add page; the services' own checks say what is wrong with it."""

    def clean_cantidad(self):
        cantidad = self.cleaned_data["cantidad"]
        # Checked alone (price 0 is always fine) so the error sits on this field.
        _as_validation_error(validate_items, [NewItem("-", cantidad, 0)])
        return cantidad

    def clean_precio_unitario(self):
        precio = self.cleaned_data["precio_unitario"]
        _as_validation_error(validate_items, [NewItem("-", 1, precio)])
        return precio


class ItemFormSet(TenantScopedInlineFormSet):
    """The lines of a new document; on the add page they must make a valid document."""

    def new_items(self) -> list[NewItem]:
        """The filled-in lines, in the order they were typed."""
        names = ["descripcion", "cantidad", "precio_unitario"]
        return [
            NewItem(*(form.cleaned_data[name] for name in names))
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]

    def clean(self):
        super().clean()
        if any(self.errors) or not self.instance._state.adding:
            return  # stored lines are frozen: nothing of them is submitted
        _as_validation_error(validate_items, self.new_items())
        _as_validation_error(total_of, self.new_items())


class ItemInline(TenantScopedInline):
    """Lines are typed once, on the add page; afterwards they are shown read-only."""

    form = ItemForm
    formset = ItemFormSet
    fields = ["descripcion", "cantidad", "precio_unitario", "subtotal"]
    readonly_fields = ["subtotal"]
    ordering = ["id"]
    extra = 1
    max_num = MAX_ITEMS

    def has_add_permission(self, request, obj=None):
        return obj is None and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class EventoInline(TenantScopedInline):
    """The document's history, read-only (written by the services only)."""

    fields = ["tipo", "usuario", "en", "motivo"]
    readonly_fields = fields
    ordering = ["en", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VendedorFilter(admin.SimpleListFilter):
    """Filter by seller, offering only the users the admin user may see."""

    title = "vendedor"
    parameter_name = "vendedor"

    def lookups(self, request, model_admin):
        users = scoped_rows(User, request)
        if users is None:  # a superuser: every tenant's members, named with their tenant
            users = User.objects.filter(tenant__isnull=False).select_related("tenant")
            return [(u.pk, f"{u.nombre} ({u.tenant})") for u in users.order_by("nombre", "id")]
        return [(u.pk, u.nombre) for u in users.order_by("nombre", "id")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        pk = parse_id(str(self.value()))  # facet counts pass the lookup's int
        return queryset.filter(vendedor_id=pk) if pk is not None else queryset.none()


class MotivoCancelacionForm(forms.Form):
    """The reason asked for by the cancel action."""

    motivo = forms.CharField(label="Motivo", max_length=500, widget=forms.Textarea)


class DocumentoAdminForm(forms.ModelForm):
    """The document's own fields; ``rechazo`` is a service refusal to show as the form's error."""

    rechazo: str | None = None

    def clean_notas(self):
        # As in the API: notes are trimmed and "" stores null.
        return (self.cleaned_data.get("notas") or "").strip() or None

    def clean(self):
        cleaned = super().clean()
        if self.rechazo:
            raise forms.ValidationError(self.rechazo)
        return cleaned


class DocumentoAdmin(TenantScopedAdmin):
    """Base admin of a sale or quotation kind. Subclasses give the fields and the services."""

    form = DocumentoAdminForm
    add_fields: list[str] = []
    change_fields: list[str] = []
    editable_when_open = ["notas"]
    list_select_related = ["tenant", "cliente", "vendedor"]
    list_display_links = ["numero"]
    search_fields = ["cliente__nombre"]  # replaced by get_search_results; shows the box
    search_help_text = "Número (p. ej. 57 o #57) o nombre del cliente"
    autocomplete_fields = ["cliente"]
    actions = ["cancelar"]
    ordering = ["-id"]
    show_full_result_count = False

    def is_closed(self, documento: Documento) -> bool:
        """Whether the document can no longer change at all."""
        raise NotImplementedError

    def create_document(self, request, cleaned_data: dict, **kwargs) -> Documento:
        """Create it through its service (tenant, items, cliente, vendedor, por,
        notas)."""
        raise NotImplementedError

    def cancel_document(self, documento: Documento, *, por: User | None, motivo: str):
        """Cancel the document through its service."""
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.is_closed(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        fields = self.add_fields if obj is None else self.change_fields
        return fields if request.user.is_superuser else [f for f in fields if f != "tenant"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [f for f in self.get_fields(request, obj) if f not in self.editable_when_open]

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        return [*columns, "tenant"] if request.user.is_superuser else columns

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        rechazo = getattr(request, "documento_rechazo", None)  # set by changeform_view
        return type(form.__name__, (form,), {"rechazo": rechazo})

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if (numero := parse_id(term.removeprefix("#"))) is not None:
            return queryset.filter(numero=numero), False
        # The customers' accent-insensitive search column (name and email), as in the API.
        return queryset.filter(cliente__texto_busqueda__contains=Pliegue(Value(term))), False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            # The admin's transaction rolled back everything the service began (its number too).
            if object_id is not None:
                self.message_user(request, exc.message, messages.ERROR)
                return HttpResponseRedirect(request.path)
            # Show the add page again with what was typed, the refusal as the form's error.
            request.documento_rechazo = exc.message
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            return  # created in save_related, where the lines are available
        # Re-read under lock: a cancel or convert may have closed it since the page loaded.
        current = lock(obj)
        if self.is_closed(current):
            raise ConflictError(MENSAJE_CERRADO)
        current.notas = obj.notas
        current.save(update_fields=["notas"])

    def save_related(self, request, form, formsets, change):
        if change:
            return  # lines and events are frozen; the notes were saved by save_model
        cleaned = form.cleaned_data
        tenant = cleaned.get("tenant") or request.user.tenant
        member = request.user if request.user.tenant_id == tenant.pk else None
        documento = self.create_document(
            request,
            cleaned,
            tenant=tenant,
            items=next(fs for fs in formsets if isinstance(fs, ItemFormSet)).new_items(),
            cliente=cleaned.get("cliente"),
            vendedor=cleaned.get("vendedor") or member,
            por=member,  # who typed it in, which may not be the chosen seller
            notas=cleaned.get("notas"),
        )
        obj = form.instance  # what the admin logs and redirects to
        for field in obj._meta.concrete_fields:
            setattr(obj, field.attname, getattr(documento, field.attname))
        obj._state.adding = False

    def construct_change_message(self, request, form, formsets, add=False):
        # No inline formset is ever saved (the service wrote the lines): none has changes.
        return super().construct_change_message(request, form, [], add)

    @admin.action(
        description="Cancelar %(verbose_name_plural)s seleccionadas", permissions=["change"]
    )
    def cancelar(self, request, queryset):
        """Ask for the reason, then cancel each selected document through the service."""
        documentos = list(queryset)
        if not documentos:  # e.g. only ids the user may not see
            return None
        form = MotivoCancelacionForm(request.POST if request.POST.get("post") else None)
        if not form.is_valid():
            return self.confirmation(
                request,
                template=PLANTILLA_CANCELAR,
                action="cancelar",
                title=f"Cancelar {self.opts.verbose_name_plural}",
                rows=documentos,
                form=form,
            )
        motivo = form.cleaned_data["motivo"]

        def cancel(documento, por):
            self.cancel_document(documento, por=por, motivo=motivo)
            return f"{documento} cancelada."

        self.run_per_row(request, documentos, cancel)
