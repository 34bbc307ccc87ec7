from rest_framework.routers import DefaultRouter

from welfare.api import (
    RECORD_ROUTES,
    ClaimViewSet,
    ConcernViewSet,
    EnrolmentViewSet,
    PayoutViewSet,
    PlanViewSet,
    record_viewset,
)

router = DefaultRouter()
router.register("plans", PlanViewSet, basename="welfare-plan")
router.register("enrolments", EnrolmentViewSet, basename="welfare-enrolment")
router.register("claims", ClaimViewSet, basename="welfare-claim")
router.register("payouts", PayoutViewSet, basename="welfare-payout")
router.register("concerns", ConcernViewSet, basename="welfare-concern")
for prefix, model, writable in RECORD_ROUTES:
    router.register(
        prefix,
        record_viewset(model, writable=writable),
        basename=f"welfare-{model._meta.model_name}",
    )

urlpatterns = router.urls
