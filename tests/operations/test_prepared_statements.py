"""Statements the API runs often are prepared on the connection (``DB_PREPARE_THRESHOLD``): the
server parses them once per connection and may keep one plan for every tenant, so a prepared
statement must hold the tenant as a parameter, never as part of its text."""

import pytest
from django.db import connection

from config.settings import _prepared_statements
from tests.conftest import ON_CITUS
from tests.factories import make_cliente

# Prepared statements outlive a test's rolled back transaction: each test starts on a fresh
# connection, and leaves none of its own behind.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_connection():
    connection.close()
    yield
    connection.close()


RUNS_BEFORE_PREPARED = 6  # psycopg prepares a statement on its run after the threshold's 5th


def prepared(fragment: str) -> list[tuple[int, int]]:
    """(generic plans, custom plans) of the statements prepared on this connection whose text
    holds ``fragment``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE strpos(statement, %s) > 0",
            [fragment],
        )
        return cursor.fetchall()


def list_ids(client) -> set[int]:
    answer = client.get("/api/clientes")
    assert answer.status_code == 200
    return {row["id"] for row in answer.json()}


def test_the_token_lookup_and_the_list_page_are_prepared_after_a_few_requests(api):
    for _ in range(RUNS_BEFORE_PREPARED):
        list_ids(api)

    assert prepared("tenants_ratelimit")  # the token's statement, which counts the request
    assert prepared("string_agg")  # the page's


def test_a_page_statement_prepared_for_one_tenant_lists_only_the_other_tenants_rows(
    api, other_api, tenant, other_tenant
):
    mine = make_cliente(tenant, nombre="Mía")
    theirs = make_cliente(other_tenant, nombre="Suya")
    if not ON_CITUS:  # one plan for every tenant, the riskiest reuse (Citus refuses it)
        with connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_generic_plan")  # until the test's end
    for _ in range(RUNS_BEFORE_PREPARED):
        assert list_ids(api) == {mine.pk}

    assert list_ids(other_api) == {theirs.pk}
    [(generic_plans, custom_plans)] = prepared("string_agg")
    # The other tenant's page ran the very statement (on PostgreSQL, the very plan) the first
    # one prepared. Citus plans a distributed page for its values every time.
    assert (custom_plans if ON_CITUS else generic_plans) >= 2


def test_the_statements_text_names_no_tenant(api, tenant):
    for _ in range(RUNS_BEFORE_PREPARED):
        list_ids(api)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE strpos(statement, %s) > 0",
            ["string_agg"],
        )
        [(statement,)] = cursor.fetchall()
    assert '"tenant_id" = $' in statement
    assert f'"tenant_id" = {tenant.pk}' not in statement


def test_a_search_is_planned_for_its_term_every_time_never_prepared(api, tenant):
    make_cliente(tenant, nombre="Marta")
    for _ in range(RUNS_BEFORE_PREPARED + 1):
        assert api.get("/api/clientes", {"busqueda": "mar"}).status_code == 200

    assert prepared("tenants_ratelimit")  # the same requests' token lookup is
    assert not prepared("LIKE ")


def test_a_threshold_of_zero_leaves_djangos_client_side_binding():
    assert _prepared_statements(0) == {}
    assert _prepared_statements(5) == {"server_side_binding": True, "prepare_threshold": 5}
