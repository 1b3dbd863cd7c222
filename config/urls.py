from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from config.api import views

handler400 = "config.api.exceptions.json_bad_request"
handler403 = "config.api.exceptions.json_permission_denied"
handler404 = "config.api.exceptions.json_not_found"
handler500 = "config.api.exceptions.json_server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path("api/docs/", views.SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path(
        "api/redoc/",
        views.RedocView.as_view(url_name="schema"),
        name="redoc",
    ),
    path("api/auth/", include("tenants.urls")),
    path("api/", include("clientes.urls")),
    path("api/", include("ventas.urls")),
    path("api/", include("cotizaciones.urls")),
    path("api/", include("eventos.urls")),
    path("api/", include("webhooks.urls")),
    # Anything else under /api/ answers the contract's JSON 404, even with DEBUG on.
    re_path(r"^api/", views.api_not_found),
]
