from rest_framework.routers import DefaultRouter

from activities.api import (
    ActivityKindViewSet,
    ActivityViewSet,
    AttendanceViewSet,
    CheckInViewSet,
    CulturePositionViewSet,
    SharedCultureCentreViewSet,
)

router = DefaultRouter()
router.register("activities", ActivityViewSet, basename="activity")
router.register("kinds", ActivityKindViewSet, basename="activity-kind")
router.register("attendances", AttendanceViewSet, basename="attendance")
router.register("check-in", CheckInViewSet, basename="check-in")
router.register("culture-positions", CulturePositionViewSet, basename="culture-position")
router.register("culture-centres", SharedCultureCentreViewSet, basename="culture-centre")

urlpatterns = router.urls
