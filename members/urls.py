from rest_framework.routers import DefaultRouter

from members.api import EnterpriseViewSet, MemberViewSet, TransferViewSet, UnionViewSet

router = DefaultRouter()
router.register("unions", UnionViewSet, basename="union")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
# Before "members": the router matches in order, and members/<pk>/ would take "transfers".
router.register("members/transfers", TransferViewSet, basename="member-transfer")
router.register("members", MemberViewSet, basename="member")

urlpatterns = router.urls
