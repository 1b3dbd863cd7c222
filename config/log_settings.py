"""The logging of every process (web, worker, commands): one line per record on standard error,
the request's id on each, and one JSON line per request from ``config.access``."""

from config.environment import env_str


def logging_settings() -> dict:
    """``LOGGING``; levels from ``DJANGO_LOG_LEVEL``, ``ACCESS_LOG_LEVEL``,
    ``WORKER_LOG_LEVEL``."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.middleware.RequestIdLogFilter"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
            "json_line": {"format": "%(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "filters": ["request_id"],
            },
            "access": {"class": "logging.StreamHandler", "formatter": "json_line"},
        },
        "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
        "loggers": {
            # 4xx answers are part of normal operation; errors are logged by the API handler.
            "django.request": {"level": "ERROR", "propagate": True},
            "pgserver": {"level": "WARNING"},
            # The queue announces its tasks on every start of Django, and the worker's periodic
            # jobs every second: only what goes wrong is worth a line.
            "procrastinate": {"level": env_str("WORKER_LOG_LEVEL", "WARNING")},
            # One JSON line per request (see config.middleware.AccessLogMiddleware).
            "config.access": {
                "handlers": ["access"],
                "level": env_str("ACCESS_LOG_LEVEL", "INFO"),
                "propagate": False,
            },
        },
    }
