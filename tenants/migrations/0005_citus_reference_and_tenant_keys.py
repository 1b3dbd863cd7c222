"""Ready for Citus: the shared tables become reference tables (on Citus only) and the
idempotency records, a tenant table, get the ``(tenant_id, id)`` primary key and are
distributed by tenant (on Citus only). See ``tenants.migration_operations``."""

from django.db import migrations

from tenants.migration_operations import (
    DistributeTenantTables,
    ReferenceTables,
    TenantPrimaryKey,
)


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0004_ratelimit"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # Referenced tables first. The sessions and the rate-limit counters stay plain tables
        # of the coordinator: only it reads them, and they are written on every request.
        ReferenceTables(
            "django_content_type",
            "auth_permission",
            "auth_group",
            "auth_group_permissions",
            "tenants_tenant",
            "tenants_user",
            "tenants_user_groups",
            "tenants_user_user_permissions",
            "tenants_apitoken",
            "django_admin_log",
        ),
        TenantPrimaryKey(table="tenants_idempotentrequest"),
        DistributeTenantTables("tenants_idempotentrequest"),
    ]
