"""The token behind each API request: one hand-written query (``token_with_user_and_tenant``)
that must load what the ORM's ``select_related("user__tenant")`` would, but for the columns no
request reads (the password's hash, timestamps), which it leaves deferred."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.api.tokens import token_with_user_and_tenant
from tenants.models import ApiToken
from tests.factories import make_token, make_user

pytestmark = pytest.mark.django_db


# What the lookup leaves deferred, by instance.
DEFERRED_OF_TOKEN = {"creado_en"}
DEFERRED_OF_USER = {"password", "last_login", "creado_en"}
DEFERRED_OF_TENANT = {"creado_en"}


def fields_of(instance, *, but=frozenset()) -> dict:
    return {k: v for k, v in vars(instance).items() if not k.startswith("_") and k not in but}


def orm_token(key: str) -> ApiToken:
    return ApiToken.objects.select_related("user__tenant").get(digest=ApiToken.digest_of(key))


def test_the_token_user_and_tenant_equal_the_orm_s_but_for_the_deferred_columns(user):
    key = make_token(user, dias=3)

    token = token_with_user_and_tenant(ApiToken.digest_of(key))

    expected = orm_token(key)
    assert fields_of(token) == fields_of(expected, but=DEFERRED_OF_TOKEN)
    assert fields_of(token.user) == fields_of(expected.user, but=DEFERRED_OF_USER)
    assert fields_of(token.user.tenant) == fields_of(expected.user.tenant, but=DEFERRED_OF_TENANT)


def test_the_password_hash_and_the_timestamps_no_request_reads_stay_deferred(user):
    token = token_with_user_and_tenant(ApiToken.digest_of(make_token(user, dias=3)))

    assert token.get_deferred_fields() == DEFERRED_OF_TOKEN
    assert token.user.get_deferred_fields() == DEFERRED_OF_USER
    assert token.user.tenant.get_deferred_fields() == DEFERRED_OF_TENANT


def test_a_deferred_column_is_read_with_a_query_when_some_code_asks_for_it(user):
    key = make_token(user, dias=3)
    token = token_with_user_and_tenant(ApiToken.digest_of(key))
    expected = orm_token(key)

    with CaptureQueriesContext(connection) as queries:
        assert token.user.password == expected.user.password
        assert token.user.tenant.creado_en == expected.user.tenant.creado_en

    assert len(queries.captured_queries) == 2
    assert fields_of(token.user) == fields_of(expected.user, but={"last_login", "creado_en"})


def test_saving_the_user_writes_only_what_was_loaded(user):
    token = token_with_user_and_tenant(ApiToken.digest_of(make_token(user)))
    token.user.nombre = "Otro nombre"

    with CaptureQueriesContext(connection) as queries:
        token.user.save()

    (update,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert '"password"' not in update and '"nombre"' in update
    saved = type(token.user).objects.get(pk=user.pk)
    assert (saved.nombre, saved.password) == ("Otro nombre", user.password)


def test_the_look_up_is_one_query_and_the_relations_need_none(user):
    digest = ApiToken.digest_of(make_token(user))

    with CaptureQueriesContext(connection) as queries:
        token = token_with_user_and_tenant(digest)
        assert (token.user.email, token.user.tenant.slug) == (user.email, user.tenant.slug)

    assert len(queries.captured_queries) == 1


def test_a_user_without_a_tenant_comes_with_tenant_none(db):  # platform staff
    staff = make_user(None)
    token = token_with_user_and_tenant(ApiToken.digest_of(make_token(staff)))

    assert token.user == staff and token.user.tenant is None


def test_an_unknown_digest_is_none(user):
    make_token(user)

    assert token_with_user_and_tenant(ApiToken.digest_of("no-such-key")) is None


def test_the_loaded_token_can_be_saved_like_an_orm_one(user):
    token = token_with_user_and_tenant(ApiToken.digest_of(make_token(user)))
    token.expira_en = None
    token.save(update_fields=["expira_en"])

    assert not token._state.adding and token._state.db == "default"
