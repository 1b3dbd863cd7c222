"""Reading the process environment (12-factor): the helpers every setting goes through.

A blank value counts as unset, so ``FOO=`` in an env file falls back to the default instead of
configuring an empty string.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = "production"


def env_str(name: str, default: str = "") -> str:
    """The variable's value, surrounding spaces removed; ``default`` when unset or blank."""
    return os.environ.get(name, "").strip() or default


def env_required(name: str, why: str) -> str:
    """The variable's value; a start-up failure naming it when it is unset or blank."""
    if value := env_str(name):
        return value
    raise ImproperlyConfigured(f"{name} is not set: {why}")


def env_bool(name: str, default: bool = False) -> bool:
    return env_str(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(env_str(name, str(default)))


def deployment() -> str:
    """``DJANGO_ENV``: ``production`` (the Docker image sets it) or ``development``."""
    value = env_str("DJANGO_ENV", "development").lower()
    if value not in {PRODUCTION, "development"}:
        raise ImproperlyConfigured(f"DJANGO_ENV must be production or development, not {value!r}")
    return value


def data_dir() -> Path:
    """Where a development process keeps its generated key, embedded database and demo logins."""
    return Path(env_str("DJANGO_DATA_DIR") or BASE_DIR / ".data")
