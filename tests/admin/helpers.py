"""Admin URLs and small helpers to read changelists and submit add forms."""

from django.test import Client

CLIENTES = "/admin/clientes/cliente/"
VENTAS = "/admin/ventas/venta/"
COTIZACIONES = "/admin/cotizaciones/cotizacion/"
USUARIOS = "/admin/tenants/user/"
EMPRESAS = "/admin/tenants/tenant/"
AUTOCOMPLETE = "/admin/autocomplete/"


def change_url(changelist: str, pk: int) -> str:
    return f"{changelist}{pk}/change/"


def changelist_ids(response) -> set[int]:
    """Primary keys of the rows a changelist page shows."""
    assert response.status_code == 200, response.status_code
    return {obj.pk for obj in response.context["cl"].result_list}


def form_errors(response) -> dict:
    """Field errors of the admin's main form on a re-rendered (invalid) add/change page."""
    assert response.status_code == 200, f"expected the form again, got {response.status_code}"
    return dict(response.context["adminform"].form.errors)


def form_fields(response) -> set[str]:
    """Names of the fields the admin's main form on an add/change page offers."""
    assert response.status_code == 200, response.status_code
    return set(response.context["adminform"].form.fields)


def action_choices(response) -> set[str]:
    """Names of the actions a changelist page offers (none when it has no action form)."""
    action_form = response.context.get("action_form")
    return {value for value, _ in action_form.fields["action"].choices} if action_form else set()


def inline_management(prefix: str = "items", total: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def items_data(lines: list[tuple[str, str, str]], prefix: str = "items") -> dict:
    """Inline line items: ``[(descripcion, cantidad, precio_unitario), ...]``."""
    data = inline_management(prefix, len(lines))
    for i, (descripcion, cantidad, precio) in enumerate(lines):
        data[f"{prefix}-{i}-descripcion"] = descripcion
        data[f"{prefix}-{i}-cantidad"] = cantidad
        data[f"{prefix}-{i}-precio_unitario"] = precio
    return data


def _submitted(data: dict, tenant, fields: dict) -> dict:
    """An add/change form's ``data`` with the tenant (only a superuser's form has that field)
    and the caller's own field values on top."""
    if tenant is not None:
        data["tenant"] = str(tenant)
    return data | fields


def _document_data(own_fields: dict, *, cliente, tenant, lines, extra) -> dict:
    """A sale's or quotation's add form: the fields both post, then ``own_fields``."""
    data = {
        "cliente": str(cliente),
        "vendedor": "",
        "notas": "",
        "cancelada_en_0": "",
        "cancelada_en_1": "",
        "cancelada_por": "",
        "motivo_cancelacion": "",
        "_save": "Guardar",
        **own_fields,
        **items_data(list(lines)),
    }
    return _submitted(data, tenant, {key: str(value) for key, value in extra.items()})


def venta_data(*, cliente="", tenant=None, lines=(), **extra) -> dict:
    return _document_data({}, cliente=cliente, tenant=tenant, lines=lines, extra=extra)


def cotizacion_data(*, cliente="", tenant=None, lines=(), **extra) -> dict:
    quotation_fields = {
        "estado": "PENDIENTE",
        "valida_hasta_0": "",
        "valida_hasta_1": "",
        "convertida_en_0": "",
        "convertida_en_1": "",
        "venta": "",
    }
    return _document_data(
        quotation_fields, cliente=cliente, tenant=tenant, lines=lines, extra=extra
    )


def cliente_data(*, tenant=None, **fields) -> dict:
    data = {
        "nombre": "",
        "documento": "",
        "email": "",
        "telefono": "",
        "direccion": "",
        "notas": "",
        "_save": "Guardar",
        # The customer page shows its history, sales and quotations inline (read-only).
        **inline_management("eventos"),
        **inline_management("ventas"),
        **inline_management("cotizaciones"),
    }
    return _submitted(data, tenant, fields)


def autocomplete(client: Client, app_label: str, model_name: str, field_name: str, term=""):
    return client.get(
        AUTOCOMPLETE,
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )


LOGIN = "/admin/login/"
TOKENS = "/admin/tenants/apitoken/"


def admin_login(client: Client, email, password, **extra):
    """Submit the admin's login form (``extra`` goes to the request, e.g. REMOTE_ADDR)."""
    return client.post(LOGIN, {"username": email, "password": password, "next": "/admin/"}, **extra)


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def action(client: Client, changelist: str, name: str, pks) -> object:
    """Run the changelist action ``name`` on the rows ``pks``."""
    return client.post(
        changelist, {"action": name, "_selected_action": [str(pk) for pk in pks], "index": "0"}
    )


def user_list_edit(client: Client, user, *, rol="USUARIO", estado="ACTIVO"):
    """Edit one user's rol and estado from the users changelist (``list_editable``)."""
    return client.post(
        USUARIOS,
        {
            **inline_management("form", 1) | {"form-INITIAL_FORMS": "1"},
            "form-0-id": str(user.pk),
            "form-0-rol": rol,
            "form-0-estado": estado,
            "_save": "Guardar",
        },
    )


def user_data(user=None, **fields) -> dict:
    """The user add form's fields (or, given ``user``, the change form's, from its values)."""
    if user is None:
        data = {"email": "nuevo@example.test", "nombre": "Nuevo", "rol": "USUARIO"}
        data |= {"password1": "clave-nueva-larga-55", "password2": "clave-nueva-larga-55"}
    else:
        data = {"email": user.email, "nombre": user.nombre, "rol": user.rol, "is_active": "on"}
    data |= {"estado": getattr(user, "estado", "ACTIVO"), "_save": "Guardar"}
    return data | fields
