"""Operators list and revoke API tokens; keys are never stored, so never shown."""

import pytest
from django.core.management import CommandError

from tenants.models import ApiToken
from tests.auth.helpers import ME
from tests.clients import token_client
from tests.factories import make_token, make_user
from tests.operations.helpers import command_output, run_command

pytestmark = pytest.mark.django_db


def test_list_tokens_shows_prefixes_users_and_tenants_never_keys(user, other_user):
    key = make_token(user)
    other_key = make_token(other_user)

    listing = command_output("list_tokens")

    assert key[:8] in listing and other_key[:8] in listing
    assert user.email in listing and user.tenant.slug in listing
    assert key not in listing and other_key not in listing


def test_list_tokens_filters_by_email_and_by_tenant(user, other_user):
    key, other_key = make_token(user), make_token(other_user)

    assert other_key[:8] not in command_output("list_tokens", "--email", user.email.upper())
    assert key[:8] in command_output("list_tokens", "--email", user.email)
    assert key[:8] not in command_output("list_tokens", "--tenant", other_user.tenant.slug)


def test_revoke_by_prefix_ends_that_token_at_once(user):
    client = token_client(user)
    assert client.get(ME).status_code == 200
    token = ApiToken.objects.get(user=user)

    output = command_output("revoke_token", "--prefijo", token.prefijo)

    assert "1 token" in output
    assert client.get(ME).status_code == 401


def test_revoke_by_email_ends_every_token_of_that_user_only(user, other_user):
    clients = [token_client(user), token_client(user)]
    other = token_client(other_user)

    run_command("revoke_token", "--email", user.email)

    assert [c.get(ME).status_code for c in clients] == [401, 401]
    assert other.get(ME).status_code == 200


def test_revoke_of_an_unknown_prefix_is_an_error():
    with pytest.raises(CommandError, match="Ningún token"):
        run_command("revoke_token", "--prefijo", "nope0000")


def test_revoke_without_prefix_nor_email_is_an_error():
    with pytest.raises(CommandError):
        run_command("revoke_token")


def test_revoke_for_an_unknown_email_is_an_error(db):
    make_user(None)
    with pytest.raises(CommandError, match="No existe"):
        run_command("revoke_token", "--email", "nadie@example.test")
