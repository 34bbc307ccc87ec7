"""The admin as a workbench (工作台): the dashboard one click away for whoever may see it, the
models grouped by the line of work a clerk thinks in rather than by Python app, and no 增加 link
for a record that belongs to a level above the viewer's union."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

# The lines of work, in the order a clerk works through them; each model named by
# "app_label.model_name". A model not listed falls into 系统管理 at the end.
TASK_GROUPS: list[tuple[str, str, list[str]]] = [
    (
        "members",
        _("会员"),
        [
            "members.member",
            "members.membertransfer",
            "members.enterprise",
            "members.union",
            "common.importbatch",
        ],
    ),
    (
        "activities",
        _("活动"),
        [
            "activities.activity",
            "activities.attendance",
            "activities.activitykind",
            "activities.cultureposition",
            "activities.sharedculturecentre",
        ],
    ),
    (
        "skills",
        _("技能"),
        [
            "skills.competition",
            "skills.competitionentry",
            "skills.honour",
            "skills.honourselection",
            "skills.skillcertification",
            "skills.skillsession",
            "skills.goldenidea",
            "skills.innovationresult",
            "skills.innovationstudio",
            "skills.studioalliance",
            "skills.craftsmanacademy",
            "skills.craftsmanvisit",
            "skills.technicalproblem",
        ],
    ),
    (
        "services",
        _("维权服务"),
        [
            "welfare.claimreviewqueue",
            "welfare.claim",
            "welfare.enrolment",
            "welfare.payout",
            "welfare.mutualaidplan",
            "welfare.concern",
            "welfare.leadershipvisit",
            "welfare.proposal",
            "welfare.hardshipcase",
            "welfare.visit",
            "welfare.assistancefund",
            "welfare.servicestation",
            "welfare.stationvisit",
            "welfare.recuperationprogramme",
            "welfare.jobfair",
            "welfare.trainingcourse",
            "welfare.legalconsultation",
            "welfare.legalaidevent",
            "welfare.wagenegotiation",
            "welfare.wagecontract",
            "members.enterpriseyear",
            "welfare.labourrelationssite",
            "welfare.grassrootsinvestment",
        ],
    ),
    (
        "figures",
        _("指标看板"),
        [
            "dashboard.indicatortarget",
            "dashboard.indicator",
            "dashboard.rolluprun",
            "dashboard.snapshot",
        ],
    ),
]
SYSTEM_GROUP = ("system", _("系统管理"))

# The workbench's deadline box looks this many days ahead; the list page offers these horizons.
DEADLINE_DAYS = 14
DEADLINE_CHOICES = (7, 14, 30, 90)

# Records that belong to a level above the grassroots (a city or district academy, alliance or
# yearly mutual-aid plan): only staff of a union at one of these levels may add them.
ADD_LEVELS: dict[str, tuple[str, ...]] = {
    "skills.craftsmanacademy": ("city", "district"),
    "skills.studioalliance": ("city", "district"),
    "welfare.mutualaidplan": ("city", "district"),
}


def may_see_dashboard(user) -> bool:
    """The dashboard's own door (dashboard.views._scoped): signed in with a part of the tree."""
    from members.scoping import has_scope

    return bool(user.is_authenticated and user.is_active and has_scope(user))


def is_leadership(user) -> bool:
    from members.models import StaffProfile

    profile = getattr(user, "staff_profile", None) if user.is_authenticated else None
    return profile is not None and profile.role == StaffProfile.Role.LEADERSHIP


def may_add_at_level(user, label: str) -> bool:
    """Whether the user's union level lets them add a record of `label` at all (see ADD_LEVELS)."""
    levels = ADD_LEVELS.get(label)
    if levels is None or user.is_superuser:
        return True
    from members.scoping import viewer_union

    union = viewer_union(user)
    return union is not None and union.level in levels


def _restrict_add(model_admin, label: str) -> None:
    original = model_admin.has_add_permission

    def has_add_permission(request, *args, **kwargs):
        return may_add_at_level(request.user, label) and original(request, *args, **kwargs)

    model_admin.has_add_permission = has_add_permission


class HuzhouAdminSite(AdminSite):
    site_header = _("湖州市总工会 · 工会工作平台")
    site_title = _("湖州市总工会")
    index_title = _("工作台")
    # The model list on every page takes a quarter of a 1366 px screen and pushes the list
    # columns out of sight; the workbench (index) and the breadcrumbs are the way around.
    enable_nav_sidebar = False
    index_template = "admin/workbench.html"

    def restrict_adds_by_level(self) -> None:
        for model, model_admin in self._registry.items():
            label = f"{model._meta.app_label}.{model._meta.model_name}"
            if label in ADD_LEVELS:
                _restrict_add(model_admin, label)

    def autocomplete_view(self, request: HttpRequest):
        from members.admin_mixins import CityWideAutocompleteJsonView

        return CityWideAutocompleteJsonView.as_view(admin_site=self)(request)

    def each_context(self, request: HttpRequest) -> dict:
        """Django's context for every admin page (AdminSite.each_context, the same keys), except
        that `available_apps` is built only if a template reads it. Django builds it eagerly for
        the nav sidebar, which this site turns off: every registered admin's permissions, URLs and
        translated names, about 40% of a member search's CPU (bench/city.py), on every page."""
        return {
            "site_title": self.site_title,
            "site_header": self.site_header,
            # 查看站点 leads to the dashboard for whoever may see it; for anyone else there is no
            # public site to view (/ only returns to the admin), so the link is hidden.
            "site_url": reverse("dashboard:overview") if may_see_dashboard(request.user) else None,
            "has_permission": self.has_permission(request),
            "available_apps": SimpleLazyObject(lambda: self.get_app_list(request)),
            "is_popup": False,
            "is_nav_sidebar_enabled": self.enable_nav_sidebar,
            "log_entries": self.get_log_entries(request),
        }

    def login(self, request: HttpRequest, extra_context=None):
        response = super().login(request, extra_context)
        # Leadership reads the figures, it keeps no records: after signing in without asking
        # for a particular page, it lands on the dashboard rather than on the model list.
        if (
            request.method == "POST"
            and isinstance(response, HttpResponseRedirect)
            and response.url == reverse("admin:index", current_app=self.name)
            and is_leadership(request.user)
        ):
            return HttpResponseRedirect(reverse("dashboard:overview"))
        return response

    def index(self, request: HttpRequest, extra_context=None):
        context = {
            "waiting": self.waiting(request),
            "recent_imports": self.recent_imports(request),
            "deadlines": self.deadlines(request),
        }
        context.update(extra_context or {})
        return super().index(request, context)

    def get_urls(self):
        from django.urls import path

        return [
            path("matters-due/", self.admin_view(self.matters_due_view), name="matters_due"),
            *super().get_urls(),
        ]

    def _matters_due(self, request: HttpRequest, within_days: int) -> list:
        """The viewer's open matters with a deadline (welfare.selectors.matters_due: their part of
        the tree only), keeping only the kinds whose list the viewer may open."""
        from welfare.selectors import matters_due

        shown = {
            kind
            for kind, label in (("concern", "welfare.concern"), ("proposal", "welfare.proposal"))
            if self._visible(request, label)[0] is not None
        }
        if not shown:
            return []
        items = matters_due(viewer=request.user, within_days=within_days)
        return [item for item in items if item.kind in shown]

    def deadlines(self, request: HttpRequest, within_days: int = DEADLINE_DAYS, shown: int = 5):
        """The workbench's 临近期限 box: how many matters are late, how many fall due within
        `within_days`, and the earliest few, each linking to its record."""
        items = self._matters_due(request, within_days)
        if not items:
            return None
        overdue = [i for i in items if i.overdue]
        return {
            "overdue": len(overdue),
            "soon": len(items) - len(overdue),
            "days": within_days,
            "items": items[:shown],
            "url": reverse(f"{self.name}:matters_due"),
        }

    def matters_due_view(self, request: HttpRequest):
        """临近期限和已逾期事项: every open 三访日 matter, 职工心声 and 建议/提案 of the viewer's part
        of the tree with its deadline, filtered by kind, lateness and horizon."""
        from django.template.response import TemplateResponse

        kind = request.GET.get("kind", "")
        when = request.GET.get("when", "")
        try:
            days = int(request.GET.get("days", DEADLINE_DAYS))
        except ValueError:
            days = DEADLINE_DAYS
        if days not in DEADLINE_CHOICES:
            days = DEADLINE_DAYS
        items = self._matters_due(request, days)
        if kind == "visit":
            items = [i for i in items if i.kind == "concern" and i.from_visit]
        elif kind == "concern":
            items = [i for i in items if i.kind == "concern" and not i.from_visit]
        elif kind == "proposal":
            items = [i for i in items if i.kind == "proposal"]
        if when == "overdue":
            items = [i for i in items if i.overdue]
        elif when == "soon":
            items = [i for i in items if not i.overdue]
        context = {
            **self.each_context(request),
            "title": _("临近期限和已逾期事项"),
            "items": items,
            "filters": [
                (
                    "kind",
                    _("类别"),
                    kind,
                    [
                        ("", _("全部")),
                        ("visit", _("三访日反映事项")),
                        ("concern", _("职工心声")),
                        ("proposal", _("建议提案")),
                    ],
                ),
                (
                    "when",
                    _("期限"),
                    when,
                    [("", _("全部")), ("overdue", _("已逾期")), ("soon", _("未逾期"))],
                ),
                (
                    "days",
                    _("到期范围"),
                    str(days),
                    [(str(d), _("%(d)d天内到期") % {"d": d}) for d in DEADLINE_CHOICES],
                ),
            ],
        }
        return TemplateResponse(request, "admin/matters_due.html", context)

    def _visible(self, request: HttpRequest, label: str):
        """The list `label` ("app.model") as the viewer's own admin page scopes it, or None when
        the viewer may not see that list."""
        from django.apps import apps

        model = apps.get_model(label)
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.has_view_permission(request):
            return None, None
        url = reverse(f"{self.name}:{model._meta.app_label}_{model._meta.model_name}_changelist")
        return model_admin.get_queryset(request), url

    def waiting(self, request: HttpRequest) -> list[dict]:
        """What waits for the viewer, counted in the same scoped lists the links open."""
        from django.db.models import Q

        from members.selectors import transfers_awaiting_q
        from welfare.models import Concern

        items = []
        wanted = [
            (
                "members.membertransfer",
                # Only what awaits this viewer's decision: a move out awaits the union left, so
                # the union joined is not told of it (nor asked to act) before that approval.
                transfers_awaiting_q(request.user),
                _("会员关系转接待办理"),
                "",
            ),
            ("welfare.claimreviewqueue", Q(), _("互助申请待审核"), ""),
            (
                "welfare.concern",
                Q(status=Concern.Status.OPEN),
                _("职工心声待回复"),
                f"?status__exact={Concern.Status.OPEN}",
            ),
        ]
        for label, filters, name, query in wanted:
            qs, url = self._visible(request, label)
            if qs is None:
                continue
            items.append({"name": name, "count": qs.filter(filters).count(), "url": url + query})
        return items

    def recent_imports(self, request: HttpRequest, limit: int = 3):
        qs, url = self._visible(request, "common.importbatch")
        if qs is None:
            return []
        return [(batch, f"{url}{batch.pk}/change/") for batch in qs.order_by("-started_at")[:limit]]

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        app_list = super().get_app_list(request, app_label)
        if app_label is not None:
            return app_list
        return self.task_groups(app_list)

    def task_groups(self, app_list: list[dict]) -> list[dict]:
        """The apps' models regrouped by line of work (TASK_GROUPS order), empty groups left out."""
        models = {}
        for app in app_list:
            for model in app["models"]:
                key = f"{app['app_label']}.{model['object_name'].lower()}"
                models[key] = model
        groups = []
        placed = set()
        for code, name, labels in TASK_GROUPS:
            entries = [models[label] for label in labels if label in models]
            placed.update(labels)
            if entries:
                groups.append(_group(code, name, entries))
        rest = [m for label, m in models.items() if label not in placed]
        if rest:
            groups.append(_group(*SYSTEM_GROUP, sorted(rest, key=lambda m: str(m["name"]))))
        return groups


def _group(code: str, name, entries: list[dict]) -> dict:
    return {
        "name": name,
        "app_label": code,
        # A group is not an app: its heading links to its first list.
        "app_url": entries[0].get("admin_url") or "",
        "has_module_perms": True,
        "models": entries,
    }


def chinese_periodic_tasks(site) -> None:
    """django-celery-beat's task list in Chinese: the task's Chinese description as its name
    (the stored name stays the stable key migrations look it up by), the schedule in words."""
    from django.contrib import admin
    from django_celery_beat.admin import PeriodicTaskAdmin
    from django_celery_beat.models import PeriodicTask

    class ChinesePeriodicTaskAdmin(PeriodicTaskAdmin):
        list_display = ("name_zh", "enabled", "schedule_zh", "last_run_at", "total_run_count")

        @admin.display(description=_("任务"), ordering="name")
        def name_zh(self, task):
            return task.description or task.name

        @admin.display(description=_("执行计划"))
        def schedule_zh(self, task):
            if task.crontab_id:
                c = task.crontab
                if c.day_of_week == c.day_of_month == c.month_of_year == "*" and (
                    c.hour.isdigit() and c.minute.isdigit()
                ):
                    return _("每天 %(h)02d:%(m)02d（%(tz)s）") % {
                        "h": int(c.hour),
                        "m": int(c.minute),
                        "tz": c.timezone,
                    }
                return _("定时：%(expr)s") % {
                    "expr": f"{c.minute} {c.hour} {c.day_of_month} {c.month_of_year} "
                    f"{c.day_of_week}"
                }
            if task.interval_id:
                return _("每隔 %(n)s %(unit)s") % {
                    "n": task.interval.every,
                    "unit": task.interval.get_period_display(),
                }
            return str(task.scheduler) if task.scheduler else "—"

    if site.is_registered(PeriodicTask):
        site.unregister(PeriodicTask)
    site.register(PeriodicTask, ChinesePeriodicTaskAdmin)


def chinese_otp_devices(site) -> None:
    """django-otp's TOTP devices in Chinese. Its model name is a plain string (no translation to
    hook), so the name is set on `_meta` at start-up: `original_attrs`, which migrations read,
    stays as it is, so no migration follows. Its columns are the bare field names, so the list
    is re-registered with Chinese column headings."""
    from django.contrib import admin
    from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice._meta.verbose_name = _("TOTP 身份验证器")
    TOTPDevice._meta.verbose_name_plural = _("TOTP 身份验证器")

    class ChineseTOTPDeviceAdmin(TOTPDeviceAdmin):
        list_display = ["user_zh", "name_zh", "created_zh", "last_used_zh", "confirmed_zh"]

        @admin.display(description=_("用户"), ordering="user")
        def user_zh(self, device):
            return device.user

        @admin.display(description=_("名称"), ordering="name")
        def name_zh(self, device):
            return device.name

        @admin.display(description=_("创建时间"), ordering="created_at")
        def created_zh(self, device):
            return device.created_at

        @admin.display(description=_("最近使用"), ordering="last_used_at")
        def last_used_zh(self, device):
            return device.last_used_at

        @admin.display(description=_("已确认"), boolean=True, ordering="confirmed")
        def confirmed_zh(self, device):
            return device.confirmed

    if site.is_registered(TOTPDevice):
        site.unregister(TOTPDevice)
        site.register(TOTPDevice, ChineseTOTPDeviceAdmin)


class HuzhouAdminConfig(AdminConfig):
    default_site = "common.admin_site.HuzhouAdminSite"

    def ready(self):
        super().ready()  # autodiscover: every app's admin is registered after this
        from django.contrib import admin

        admin.site.restrict_adds_by_level()
        chinese_periodic_tasks(admin.site)
        chinese_otp_devices(admin.site)
