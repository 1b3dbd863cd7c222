"""Production configuration: security headers, cookie flags, `check --deploy`, the logs."""

import json
import logging
import os
import re
import tomllib

import pytest

from tests.auth.helpers import CLIENTES, ME, login
from tests.operations.helpers import ROOT, run_project

pytestmark = pytest.mark.django_db


def test_api_responses_carry_the_security_headers(api):
    response = api.get(ME)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_https_responses_carry_hsts_for_a_year_by_default(api):
    response = api.get(ME, secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_session_cookie_is_httponly_samesite_and_secure_outside_debug(anon, user):
    response = login(anon, user.email)

    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"]


def test_check_deploy_reports_nothing_with_the_production_environment():
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": "postgres://app@db.invalid:5432/app",
        "DJANGO_SECRET_KEY": "k" * 20
        + "-production-like-secret-key-with-enough-entropy-1234567890",
        "DJANGO_ALLOWED_HOSTS": "api.example.com",
        "DJANGO_ENV": "production",
    }

    result = run_project("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_every_request_is_logged_as_one_json_line(api, user, caplog):
    with caplog.at_level(logging.INFO, logger="config.access"):
        response = api.get(CLIENTES, HTTP_X_REQUEST_ID="req-123")

    (record,) = [r for r in caplog.records if r.name == "config.access"]
    line = json.loads(record.getMessage())
    assert line["request_id"] == "req-123" == response["X-Request-ID"]
    assert line["method"] == "GET"
    assert line["path"] == CLIENTES
    assert line["status"] == 200
    assert line["tenant"] == user.tenant_id
    assert line["user_id"] == user.pk
    assert line["queries"] >= 1
    assert isinstance(line["duration_ms"], float)
    assert line["time"].endswith("+00:00")


def test_an_unhandled_error_is_logged_with_the_request_id(api, monkeypatch, caplog):
    from rest_framework.test import APIClient

    def explode(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("clientes.selectors.cliente_page", explode)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=api._credentials["HTTP_AUTHORIZATION"])

    with caplog.at_level(logging.ERROR, logger="config.api"):
        response = client.get(CLIENTES, HTTP_X_REQUEST_ID="req-500")

    assert response.status_code == 500
    (record,) = [r for r in caplog.records if r.name == "config.api"]
    assert record.request_id == "req-500"
    assert record.exc_info[0] is RuntimeError


def test_the_image_copies_every_package_the_project_installs():
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    installed = {name.rstrip("*") for name in packages["packages"]["find"]["include"]}
    dockerfile = (ROOT / "Dockerfile").read_text()
    build, runtime = dockerfile.split("\nFROM ", 2)[1:]

    for stage in (build, runtime):
        assert set(re.findall(r"^COPY (\w+) \./\1$", stage, flags=re.M)) == installed
