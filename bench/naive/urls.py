from django.urls import include, path
from rest_framework.routers import SimpleRouter

from bench.naive.customers import NaiveClienteViewSet
from bench.naive.sales import NaiveCotizacionViewSet, NaiveVentaViewSet
from config import health

router = SimpleRouter(trailing_slash=False)
router.register("clientes", NaiveClienteViewSet, basename="cliente")
router.register("ventas", NaiveVentaViewSet, basename="venta")
router.register("cotizaciones", NaiveCotizacionViewSet, basename="cotizacion")

urlpatterns = [
    path("healthz", health.healthz),
    path("api/", include(router.urls)),
]
