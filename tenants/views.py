"""Authentication API: session login/logout, the current user, and the CSRF token."""

from django.contrib.auth import authenticate, login, logout
from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.schema import ERROR_RESPONSES
from tenants.api.authentication import CsrfSessionAuthentication, ensure_active
from tenants.api.throttling import LoginAccountThrottle, LoginAddressThrottle
from tenants.serializers import CsrfSerializer, LoginSerializer, MeSerializer

MENSAJE_CREDENCIALES = "Credenciales inválidas"


class LoginView(APIView):
    """Opens a session. Only JSON bodies are accepted, so a cross-site form cannot log in."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginAddressThrottle, LoginAccountThrottle]

    @extend_schema(
        summary="Iniciar sesión",
        request=LoginSerializer,
        responses={200: MeSerializer, **ERROR_RESPONSES(400, 401, 415)},
        auth=[],
    )
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["email"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            raise AuthenticationFailed(MENSAJE_CREDENCIALES)
        # Only someone who knows the password learns the account's or the shop's estado.
        ensure_active(user)
        login(request._request, user)
        return Response(MeSerializer(user).data)

    def get_authenticate_header(self, request) -> str:
        return 'Session realm="api"'


class LogoutView(APIView):
    """Ends the session server-side. Needs the CSRF token when called with a session; works
    for a suspended user too (ending a session is always allowed)."""

    authentication_classes = [CsrfSessionAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Cerrar sesión",
        request=None,
        responses={204: None, **ERROR_RESPONSES(403)},
        auth=[{"cookieAuth": []}, {}],
    )
    def post(self, request):
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The authenticated user and their empresa (null when they have none)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Usuario actual", responses={200: MeSerializer, **ERROR_RESPONSES(401)})
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class CsrfView(APIView):
    """Sets the ``csrftoken`` cookie and also returns it, for frontends on another origin."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Obtener el token CSRF",
        responses={200: CsrfSerializer, **ERROR_RESPONSES()},
        auth=[],
    )
    def get(self, request):
        return Response({"csrfToken": get_token(request._request)})
