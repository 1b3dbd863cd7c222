from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for ``make run`` (``seed_demo``): the one app that builds on all the others."""

    name = "demo"
    verbose_name = "Demo"
