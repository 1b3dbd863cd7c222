"""Django's admin app with the project's site as ``admin.site``.

Listed in ``INSTALLED_APPS`` instead of ``django.contrib.admin``. It lives apart from
``tenants.admin_site`` because app configs are imported before the models are ready, and the
site's login form needs the user model.
"""

from django.contrib.admin.apps import AdminConfig


class TenantAdminConfig(AdminConfig):
    """``django.contrib.admin`` whose default site is ``tenants.admin_site.TenantAdminSite``,
    so every ``@admin.register`` of the project lands on the guarded site."""

    default_site = "tenants.admin_site.TenantAdminSite"
