from cotizaciones.views import CotizacionViewSet
from tenants.api.routers import ApiRouter

router = ApiRouter()
router.register("cotizaciones", CotizacionViewSet, basename="cotizacion")
urlpatterns = router.urls
