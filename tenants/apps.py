from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Empresas y usuarios"

    def ready(self):
        from tenants.admin import users  # noqa: F401  (registers empresas, users and tokens)


class TenantAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` whose default site is ``tenants.admin.site.TenantAdminSite``,
    so every ``@admin.register`` of the project lands on the guarded site.

    Listed in ``INSTALLED_APPS`` instead of ``django.contrib.admin``. It names the site by
    its path because app configs are imported before the models are ready, and the site's
    login form needs the user model.
    """

    default = False  # named in full in INSTALLED_APPS
    default_site = "tenants.admin.site.TenantAdminSite"
