from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from common.health import health
from members.password_reset import password_reset_view
from members.signin import ObtainTokenView, StaffLoginForm, docs_page, two_factor
from portal.views import root

# Header, title and the workbench index: common.admin_site.HuzhouAdminSite.
# Password, then the authenticator code for a user who has one (members.signin).
admin.site.login_form = StaffLoginForm
admin.site.login_template = "registration/staff_login.html"

# Chinese pages with a way back for each area (common.errors); the CSRF one is CSRF_FAILURE_VIEW.
handler403 = "common.errors.permission_denied"
handler404 = "common.errors.page_not_found"
handler500 = "common.errors.server_error"

urlpatterns = [
    path("", root, name="root"),
    # Load balancers and monitoring: bare 200/503; JSON detail for signed-in city staff only.
    path("health/", health, name="health"),
    path("admin/2fa/", two_factor, name="two-factor"),
    # Before the admin's own URLs: a signed-out staff user's 忘记密码 (SMS code to the phone on file).
    path("admin/password-reset/", password_reset_view, name="staff-password-reset"),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("api/v1/me/", include("portal.api_urls")),
    path("api/v1/", include("members.urls")),
    path("api/v1/activities/", include("activities.urls")),
    path("api/v1/skills/", include("skills.urls")),
    path("api/v1/welfare/", include("welfare.urls")),
    path("api/v1/dashboard/", include("dashboard.urls")),
    path("dashboard/", include("dashboard.pages")),
    path("exports/", include("common.export_urls")),
    path("portal/", include("portal.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        docs_page(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]
