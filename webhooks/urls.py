from tenants.api.routers import ApiRouter
from webhooks.views import SuscripcionViewSet

router = ApiRouter()
router.register("webhooks", SuscripcionViewSet, basename="webhook")
urlpatterns = router.urls
