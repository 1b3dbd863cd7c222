"""The OpenAPI document at /api/schema/, fetched once per test module."""

import pytest
from django.test import Client

from tests.docs.schema_helpers import SCHEMA_URL


@pytest.fixture(scope="module")
def schema() -> dict:
    response = Client().get(SCHEMA_URL)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith(("application/json", "application/vnd.oai"))
    return response.json()
