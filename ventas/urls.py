from tenants.api.routers import ApiRouter
from ventas.views import VentaViewSet

router = ApiRouter()
router.register("ventas", VentaViewSet, basename="venta")
urlpatterns = router.urls
