"""The token behind each API request: one hand-written query (``token_with_user_and_tenant``)
that must load exactly what the ORM's ``select_related("user__tenant")`` would."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.api.tokens import token_with_user_and_tenant
from tenants.models import ApiToken
from tests.factories import make_token, make_user

pytestmark = pytest.mark.django_db


def fields_of(instance) -> dict:
    return {k: v for k, v in vars(instance).items() if not k.startswith("_")}


def orm_token(key: str) -> ApiToken:
    return ApiToken.objects.select_related("user__tenant").get(digest=ApiToken.digest_of(key))


def test_the_token_user_and_tenant_equal_the_orm_s(user):
    key = make_token(user, dias=3)

    token = token_with_user_and_tenant(ApiToken.digest_of(key))

    expected = orm_token(key)
    assert fields_of(token) == fields_of(expected)
    assert fields_of(token.user) == fields_of(expected.user)
    assert fields_of(token.user.tenant) == fields_of(expected.user.tenant)


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
