"""Start-up: settings only read the environment; the entry points provide the development
defaults, and production refuses to start without its secrets."""

import os
import subprocess

import pytest

from tests.operations.helpers import run_project

A_DATABASE = "postgres://app@db.invalid:5432/app"
A_KEY = "k" * 60


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    settings = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings"}
    return run_project("-c", code, env={**settings, **env})


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return run_python(
        f"import sys; sys.argv = ['manage.py', *{list(args)!r}]; import manage; manage.main()",
        **env,
    )


PRODUCTION = {"DJANGO_ENV": "production", "DATABASE_URL": A_DATABASE, "DJANGO_SECRET_KEY": A_KEY}


def check_in(tmp_path, **env: str | None) -> subprocess.CompletedProcess:
    """``manage.py check`` with the production variables, changed (None: left out) by ``env``."""
    variables = {k: v for k, v in {**PRODUCTION, **env}.items() if v is not None}
    return run_manage("check", DJANGO_DATA_DIR=str(tmp_path), **variables)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY is not set"),
        ({"DJANGO_SECRET_KEY": "  "}, "DJANGO_SECRET_KEY is not set"),
        ({"DATABASE_URL": None}, "DATABASE_URL is not set"),
        ({"DJANGO_ENV": "prod"}, "DJANGO_ENV must be production or development"),
    ],
    ids=["no-secret-key", "blank-secret-key", "no-database-url", "unknown-deployment"],
)
def test_production_stops_at_start_naming_what_is_missing(tmp_path, env, message):
    result = check_in(tmp_path, **env)

    assert result.returncode != 0
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []  # no generated key, no embedded database


def test_production_with_its_variables_starts(tmp_path):
    result = check_in(tmp_path)

    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_importing_the_settings_starts_no_database_and_writes_no_file(tmp_path):
    result = run_python("import config.settings", DJANGO_DATA_DIR=str(tmp_path))

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_settings_read_what_the_environment_gives(tmp_path):
    code = "from config import settings as s; print(s.SECRET_KEY, s.DATABASES['default']['HOST'])"
    result = run_python(
        code, DATABASE_URL=A_DATABASE, DJANGO_SECRET_KEY=A_KEY, DJANGO_DATA_DIR=str(tmp_path)
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [A_KEY, "db.invalid"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("deployment", ["", "development"])
def test_development_generates_a_private_key_once_and_keeps_it(tmp_path, deployment):
    code = (
        "import os; from config.development import provide_development_defaults; "
        "provide_development_defaults(); print(os.environ['DJANGO_SECRET_KEY'])"
    )
    env = {"DATABASE_URL": A_DATABASE, "DJANGO_DATA_DIR": str(tmp_path / "data")}
    if deployment:
        env["DJANGO_ENV"] = deployment

    first, second = run_python(code, **env), run_python(code, **env)

    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "data" / "secret_key"
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text().strip()
    assert len(first.stdout.strip()) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_development_keeps_a_configured_key_and_database(tmp_path):
    code = (
        "import os; from config.development import provide_development_defaults; "
        "provide_development_defaults(); "
        "print(os.environ['DJANGO_SECRET_KEY'], os.environ['DATABASE_URL'])"
    )
    result = run_python(
        code, DATABASE_URL=A_DATABASE, DJANGO_SECRET_KEY=A_KEY, DJANGO_DATA_DIR=str(tmp_path)
    )

    assert result.stdout.split() == [A_KEY, A_DATABASE]
    assert list(tmp_path.iterdir()) == []
