from django.urls import path

from eventos.views import EventoViewSet

# The feed only: an event has no page of its own (its ``id`` is in every delivery).
urlpatterns = [path("eventos", EventoViewSet.as_view({"get": "list"}), name="evento-list")]
