from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from portal.views import root

admin.site.site_header = _("湖州市总工会 · 工会工作平台")
admin.site.site_title = _("湖州市总工会")
admin.site.index_title = _("工作台")

urlpatterns = [
    path("", root, name="root"),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", obtain_auth_token, name="api-token"),
    path("api/v1/", include("members.urls")),
    path("api/v1/activities/", include("activities.urls")),
    path("api/v1/skills/", include("skills.urls")),
    path("api/v1/welfare/", include("welfare.urls")),
    path("api/v1/dashboard/", include("dashboard.urls")),
    path("dashboard/", include("dashboard.pages")),
    path("portal/", include("portal.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
