"""The scenarios: one registry (``registry``) of the families' (``customers``, ``sales``)."""
