from rest_framework.routers import SimpleRouter

from clientes.views import ClienteViewSet

# No trailing slash: the contract's URLs are /api/clientes and /api/clientes/{id}.
router = SimpleRouter(trailing_slash=False)
router.register("clientes", ClienteViewSet, basename="cliente")
urlpatterns = router.urls
