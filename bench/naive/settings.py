"""The service's settings with the naive URLs and DRF's default renderer and filters."""

from config.settings import *  # noqa: F403
from config.settings import REST_FRAMEWORK as _SERVICE_REST_FRAMEWORK

ROOT_URLCONF = "bench.naive.urls"

REST_FRAMEWORK = {
    **_SERVICE_REST_FRAMEWORK,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": [],
}
