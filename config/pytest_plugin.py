"""The test suite's entry point, as ``manage.py`` and ``config.wsgi`` are the others.

pytest loads it with ``-p config.pytest_plugin`` (``addopts`` in pyproject.toml). Its hook runs
before pytest-django reads the settings, so the development defaults (the embedded database,
a throwaway one under ``make test``, and the generated key) are in the environment by then.
"""

import pytest

from config.development import provide_development_defaults


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args) -> None:
    """Provide the development defaults before any settings are read."""
    provide_development_defaults()
