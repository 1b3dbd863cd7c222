"""Settings of the naive baseline (b): the service's settings, its own URLs and DRF defaults.

Same database, middleware, authentication (``Authorization: Token``), permissions, throttling
and exception handler as the service; what differs is the API layer a typical team would ship:
a ``ModelViewSet`` with a ``ModelSerializer`` (bench/naive_views.py) and DRF's default
``JSONRenderer``.
"""

from config.settings import *  # noqa: F403
from config.settings import REST_FRAMEWORK as _SERVICE_REST_FRAMEWORK

ROOT_URLCONF = "bench.naive_urls"

REST_FRAMEWORK = {
    **_SERVICE_REST_FRAMEWORK,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": [],
}
