from rest_framework.routers import SimpleRouter

from cotizaciones.views import CotizacionViewSet

router = SimpleRouter(trailing_slash=False)
router.register("cotizaciones", CotizacionViewSet, basename="cotizacion")
urlpatterns = router.urls
