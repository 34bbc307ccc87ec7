from rest_framework.routers import DefaultRouter

from members.api import EnterpriseViewSet, MemberViewSet, UnionViewSet

router = DefaultRouter()
router.register("unions", UnionViewSet, basename="union")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("members", MemberViewSet, basename="member")

urlpatterns = router.urls
