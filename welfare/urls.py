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
from welfare.api.assistance import ASSISTANCE_ROUTES

router = DefaultRouter()
router.register("plans", PlanViewSet, basename="welfare-plan")
router.register("enrolments", EnrolmentViewSet, basename="welfare-enrolment")
router.register("claims", ClaimViewSet, basename="welfare-claim")
router.register("payouts", PayoutViewSet, basename="welfare-payout")
router.register("concerns", ConcernViewSet, basename="welfare-concern")
for prefix, viewset, basename in ASSISTANCE_ROUTES:
    router.register(prefix, viewset, basename=basename)
for prefix, model, writable in RECORD_ROUTES:
    if prefix in {route[0] for route in ASSISTANCE_ROUTES}:
        continue  # funds, hardship cases and visits have their own services and viewsets
    router.register(
        prefix,
        record_viewset(model, writable=writable),
        basename=f"welfare-{model._meta.model_name}",
    )

urlpatterns = router.urls
