"""Users, tokens and empresas in the admin for a tenant's ADMIN holding the Django permissions
(``manager``): their own empresa's users and tokens, their empresa read-only; never another
tenant's, never a superuser, no platform powers. Platform superusers still see everything."""

import pytest
from django.contrib.auth.models import Permission

from tenants.models import ApiToken, Tenant, User
from tests.admin.conftest import (
    MANAGER_PERMISSIONS,
    grant,
    logged_in,
    make_staff,
    own_and_foreign,
)
from tests.admin.helpers import (
    EMPRESAS,
    TOKENS,
    USUARIOS,
    action,
    action_choices,
    autocomplete,
    change_url,
    changelist_ids,
    form_errors,
    form_fields,
    user_data,
    user_list_edit,
)
from tests.factories import PASSWORD, make_token, make_user

pytestmark = pytest.mark.django_db

PLATFORM_FIELDS = {"tenant", "is_superuser", "groups", "user_permissions"}
NEW_PASSWORD = {"password1": "otra-clave-larga-77", "password2": "otra-clave-larga-77"}


# Tienda A's and Tienda B's users, in place of the folder's customers.
own, foreign = own_and_foreign(
    make_user,
    own={"email": "propio@example.test", "nombre": "Propio"},
    foreign={"email": "ajeno@example.test", "nombre": "Ajeno"},
)


@pytest.fixture
def attached_superuser(tenant) -> User:
    """A platform superuser who happens to have Tienda A as empresa: not Tienda A's to manage."""
    return User.objects.create_superuser(
        "plataforma.a@example.test", PASSWORD, nombre="Plataforma A", tenant=tenant
    )


def token_of(user) -> ApiToken:
    make_token(user)
    return ApiToken.objects.filter(user=user).latest("pk")


# -- who gets in -----------------------------------------------------------------------------


def test_manager_sees_users_tokens_and_tenants_in_the_index(manager):
    app_list = manager.get("/admin/").context["app_list"]

    models = {model["object_name"] for app in app_list for model in app["models"]}
    assert {"User", "ApiToken", "Tenant"} <= models


@pytest.mark.parametrize("url", [USUARIOS, f"{USUARIOS}add/", TOKENS, EMPRESAS])
@pytest.mark.parametrize("kind", ["usuario_role", "no_tenant"])
def test_other_staff_with_the_permissions_is_forbidden(tenant, url, kind):
    """Only a tenant's ADMIN: not a USUARIO of the tenant, nor staff of no tenant."""
    usuario = kind == "usuario_role"
    staff = make_staff(tenant if usuario else None, rol="USUARIO" if usuario else "ADMIN")

    assert logged_in(grant(staff, *MANAGER_PERMISSIONS)).get(url).status_code == 403


# -- users -----------------------------------------------------------------------------------


def test_users_changelist_shows_only_own_tenant_users_without_tenant_column_or_filter(
    manager, user_manager, own, foreign, attached_superuser, superuser, other_tenant
):
    response = manager.get(USUARIOS)

    assert changelist_ids(response) == {user_manager.pk, own.pk}
    filters = {getattr(spec, "field_path", None) for spec in response.context["cl"].filter_specs}
    assert not filters & {"tenant", "is_superuser"}
    assert "tenant" not in response.context["cl"].list_display
    for leak in [b"ajeno@example.test", b"plataforma", other_tenant.nombre.encode()]:
        assert leak not in response.content


@pytest.mark.parametrize(
    "query", [{"q": "ajeno"}, {"q": "plataforma"}, {"tenant__id__exact": "OTHER"}]
)
def test_searching_or_filtering_users_leaks_nothing(
    manager, own, foreign, attached_superuser, other_tenant, query
):
    query = {k: str(other_tenant.pk) if v == "OTHER" else v for k, v in query.items()}

    response = manager.get(USUARIOS, query)

    assert response.status_code in {200, 302, 400}
    if response.status_code == 200:
        assert not changelist_ids(response) & {foreign.pk, attached_superuser.pk}
    assert b"ajeno@example.test" not in response.content


@pytest.mark.parametrize("target", ["foreign", "attached_superuser"])
def test_users_not_of_the_tenant_are_not_found_and_writes_change_nothing(manager, request, target):
    user = request.getfixturevalue(target)
    before = (user.nombre, user.rol, user.estado, user.password)
    for suffix in ["change/", "password/", "delete/", "history/"]:
        response = manager.get(f"{USUARIOS}{user.pk}/{suffix}")
        assert response.status_code in {302, 403, 404}, suffix
        assert user.email.encode() not in response.content

    manager.post(change_url(USUARIOS, user.pk), user_data(user, nombre="Robado"))
    manager.post(f"{USUARIOS}{user.pk}/password/", NEW_PASSWORD)
    user_list_edit(manager, user, rol=User.Rol.USUARIO, estado=User.Estado.SUSPENDIDO)

    user.refresh_from_db()
    assert (user.nombre, user.rol, user.estado, user.password) == before


def test_change_and_add_forms_have_no_platform_fields(manager, own):
    change = manager.get(change_url(USUARIOS, own.pk))
    add = manager.get(f"{USUARIOS}add/")

    assert {"email", "nombre", "rol", "estado", "is_active", "is_staff"} <= form_fields(change)
    assert {"email", "nombre", "rol", "estado"} <= form_fields(add)
    assert not (form_fields(change) | form_fields(add)) & (PLATFORM_FIELDS | {"last_login"})
    assert b'name="tenant"' not in add.content


def test_manager_edits_own_user_and_posted_platform_fields_are_ignored(
    manager, tenant, other_tenant, own
):
    permission = Permission.objects.get(codename="view_cliente")
    platform = {"tenant": other_tenant.pk, "is_superuser": "on", "user_permissions": permission.pk}

    response = manager.post(
        change_url(USUARIOS, own.pk),
        user_data(own, nombre="Renombrado", rol=User.Rol.ADMIN, is_staff="on", **platform),
    )

    assert response.status_code == 302, form_errors(response)
    own.refresh_from_db()
    assert (own.nombre, own.rol, own.is_staff) == ("Renombrado", User.Rol.ADMIN, True)
    assert (own.tenant_id, own.is_superuser) == (tenant.pk, False)
    assert not own.user_permissions.exists()
    # From the list (``list_editable``), and the password page.
    assert user_list_edit(manager, own, estado=User.Estado.SUSPENDIDO).status_code == 302
    assert manager.post(f"{USUARIOS}{own.pk}/password/", NEW_PASSWORD).status_code == 302

    own.refresh_from_db()
    assert own.estado == User.Estado.SUSPENDIDO
    assert own.check_password(NEW_PASSWORD["password1"])


def test_manager_cannot_delete_users_even_with_the_permission(manager, own):
    assert "delete_selected" not in action_choices(manager.get(USUARIOS))
    assert manager.post(f"{USUARIOS}{own.pk}/delete/", {"post": "yes"}).status_code == 403
    action(manager, USUARIOS, "delete_selected", [own.pk])

    assert User.objects.filter(pk=own.pk).exists()


def test_added_user_is_stamped_with_the_manager_tenant(manager, tenant, other_tenant):
    platform = {"tenant": other_tenant.pk, "is_superuser": "on", "is_staff": "on"}

    response = manager.post(
        f"{USUARIOS}add/", user_data(email="  Nueva@Example.test ", nombre="Nueva", **platform)
    )

    assert response.status_code == 302, form_errors(response)
    created = User.objects.get(email="nueva@example.test")
    assert (created.tenant_id, created.is_superuser, created.is_staff) == (tenant.pk, False, False)
    assert created.check_password("clave-nueva-larga-55")


@pytest.mark.parametrize(
    "bad",
    [
        {"rol": "DIOS"},
        {"estado": "BORRADO"},
        {"email": "no-es-email"},
        {"email": "ajeno@example.test"},  # taken, in another tenant
        {"password2": "otra"},
        {"nombre": ""},
    ],
)
def test_invalid_new_user_is_a_form_error_and_changes_nothing(manager, other_tenant, foreign, bad):
    response = manager.post(f"{USUARIOS}add/", user_data(nombre="Invalido") | bad)

    assert form_errors(response)
    assert not User.objects.filter(nombre__in=["Invalido", ""]).exists()
    foreign.refresh_from_db()
    assert (foreign.nombre, foreign.tenant_id) == ("Ajeno", other_tenant.pk)


# -- tokens ----------------------------------------------------------------------------------


def test_tokens_changelist_and_search_show_only_own_tenant_tokens(
    manager, own, foreign, attached_superuser
):
    mine, theirs, platform = token_of(own), token_of(foreign), token_of(attached_superuser)

    response = manager.get(TOKENS)

    assert changelist_ids(response) == {mine.pk}
    assert theirs.prefijo.encode() not in response.content
    assert platform.prefijo.encode() not in response.content
    assert changelist_ids(manager.get(TOKENS, {"q": "ajeno"})) == set()
    assert changelist_ids(manager.get(TOKENS, {"q": theirs.prefijo})) == set()


def test_token_pages_of_another_tenant_are_not_found_and_none_is_added(manager, root, foreign):
    theirs = token_of(foreign)

    for suffix in ["change/", "delete/"]:
        response = manager.get(f"{TOKENS}{theirs.pk}/{suffix}")
        assert response.status_code in {302, 404}, suffix
        assert theirs.prefijo.encode() not in response.content
    # Keys are issued by `manage.py issue_token` (shown once), by nobody in the admin.
    assert manager.get(f"{TOKENS}add/").status_code == 403
    assert root.get(f"{TOKENS}add/").status_code == 403


def test_manager_revokes_own_tokens_but_never_another_tenant_token(manager, own, foreign):
    mine, theirs = token_of(own), token_of(foreign)
    assert action(manager, TOKENS, "delete_selected", [mine.pk]).status_code == 200  # confirm

    response = manager.post(
        TOKENS,
        {"action": "delete_selected", "_selected_action": [mine.pk, theirs.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=mine.pk).exists()
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


# -- empresas --------------------------------------------------------------------------------


def test_manager_sees_only_own_tenant_read_only(manager, tenant, other_tenant):
    listing = manager.get(EMPRESAS)
    page = manager.get(change_url(EMPRESAS, tenant.pk))

    assert changelist_ids(listing) == {tenant.pk}
    assert other_tenant.nombre.encode() not in listing.content
    assert page.status_code == 200
    assert not page.context["has_change_permission"]  # even holding change_tenant
    for suffix in ["change/", "delete/", "history/"]:
        response = manager.get(f"{EMPRESAS}{other_tenant.pk}/{suffix}")
        assert response.status_code in {302, 403, 404}, suffix
        assert other_tenant.nombre.encode() not in response.content
    suggested = autocomplete(manager, "tenants", "user", "tenant").json()["results"]
    assert [row["id"] for row in suggested] == [str(tenant.pk)]


def test_manager_changes_and_adds_no_tenant(manager, tenant):
    edit = {"nombre": "Renombrada", "slug": "renombrada", "zona_horaria": "UTC"}

    assert manager.post(change_url(EMPRESAS, tenant.pk), edit).status_code == 403
    assert manager.get(f"{EMPRESAS}add/").status_code == 403
    assert manager.post(f"{EMPRESAS}add/", edit | {"slug": "tienda-x"}).status_code == 403
    assert Tenant.objects.get(pk=tenant.pk).nombre == tenant.nombre
    assert not Tenant.objects.filter(slug__in=["renombrada", "tienda-x"]).exists()


# -- platform superusers keep seeing everything ----------------------------------------------


def test_superuser_sees_every_user_and_token_and_moves_users(
    root, own, foreign, attached_superuser, other_tenant
):
    tokens = {token_of(own).pk, token_of(foreign).pk}
    dates = {"creado_en_0": "2026-01-02", "creado_en_1": "10:00:00"}

    assert changelist_ids(root.get(USUARIOS)) >= {own.pk, foreign.pk, attached_superuser.pk}
    assert changelist_ids(root.get(TOKENS)) == tokens
    assert form_fields(root.get(change_url(USUARIOS, own.pk))) >= PLATFORM_FIELDS
    assert "delete_selected" in action_choices(root.get(USUARIOS))

    response = root.post(
        change_url(USUARIOS, own.pk), user_data(own, tenant=other_tenant.pk, **dates)
    )

    assert response.status_code == 302, form_errors(response)
    own.refresh_from_db()
    assert own.tenant_id == other_tenant.pk
