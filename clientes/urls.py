from clientes.views import ClienteViewSet
from tenants.api.routers import ApiRouter

router = ApiRouter()
router.register("clientes", ClienteViewSet, basename="cliente")
urlpatterns = router.urls
