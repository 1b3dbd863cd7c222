from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from config.api.serializers import InputSerializer, TextField
from tenants.models import User


class LoginSerializer(InputSerializer):
    email = TextField(max_length=254)
    password = TextField(max_length=1024, trim_whitespace=False)

    error_summaries = {
        "email": "El email es obligatorio",
        "password": "La contraseña es obligatoria",
    }


# "Empresa" is the wire's word for a tenant, and so the schema component's name.
@extend_schema_serializer(component_name="Empresa")
class TenantSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nombre = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    """The authenticated user, as GET /api/auth/me and login answer it."""

    empresa = TenantSummarySerializer(source="tenant", allow_null=True)

    class Meta:
        model = User
        fields = ["id", "email", "nombre", "rol", "estado", "empresa"]
        read_only_fields = fields


class CsrfSerializer(serializers.Serializer):
    csrfToken = serializers.CharField()
