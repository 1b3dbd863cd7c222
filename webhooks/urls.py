from rest_framework.routers import SimpleRouter

from webhooks.views import SuscripcionViewSet

router = SimpleRouter(trailing_slash=False)
router.register("webhooks", SuscripcionViewSet, basename="webhook")
urlpatterns = router.urls
