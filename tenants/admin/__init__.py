"""The Django admin by role: ``site`` (the guarded site and its login), ``scoped`` (the base
of every tenant-owned model's admin, which the other apps' admins derive from) and ``users``
(tenants, users and API tokens, registered by ``TenantsConfig.ready``).

Nothing is registered when this package is imported: ``admin.site`` is built by importing
``tenants.admin.site``, and a registration during that import would land on a second site.
"""
