"""The indicator registry (from report-card.yaml), its per-year targets and published figures, and
the roll-ups: runs, the lock that keeps two runs of one year apart, and the stored snapshots.

Every value shown on the dashboard comes from a Snapshot that a roll-up computed from records through
the figure contract (common/figures.py); targets and published figures are data staff edit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.history import AuditedHistory
from members.models import Union


class Indicator(models.Model):
    class Theme(models.TextChoices):
        # The 2025 plan's four lines of work (四大行动).
        IDEOLOGY = "ideology", _("思政引领")
        INDUSTRY = "industry", _("深化产改")
        SERVICE = "service", _("维权服务")
        GRASSROOTS = "grassroots", _("强基固本")

    class Unit(models.TextChoices):
        PERSON_TIMES = "person_times", _("人次")
        PERSONS = "persons", _("人")
        EVENTS = "events", _("场次")
        ITEMS = "items", _("项")
        YUAN_10K = "yuan_10k", _("万元")
        PERCENT = "percent", _("%")

    key = models.SlugField(_("指标键"), max_length=64, unique=True)
    name_zh = models.CharField(_("指标名称"), max_length=200)
    theme = models.CharField(_("工作条线"), max_length=16, choices=Theme.choices)
    unit = models.CharField(_("单位"), max_length=16, choices=Unit.choices)
    app = models.CharField(
        _("数据来源模块"), max_length=32, help_text=_("在该模块 selectors.py 中以 @figure 声明")
    )
    quote = models.CharField(_("成绩单原文"), max_length=300, blank=True)
    # A flow (events held, people reached) grows through the year and can be projected at the
    # current pace; a stock (members on the register, a coverage rate) cannot.
    accumulates = models.BooleanField(
        _("按进度累计"), default=True, help_text=_("全年累计的数（可按当前进度预测全年）")
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    # Where the card says 累计 (since a plan or a station began): the day counting starts, for a
    # figure declared cumulative (common.figures); empty = the year alone. Data, not code, so
    # the same figure serves both readings and the choice is on record with its history.
    cumulative_since = models.DateField(
        _("累计起始日期"),
        null=True,
        blank=True,
        help_text=_("仅对可累计的指标有效：填写后自该日起累计至所选年度年末；留空则只统计当年"),
    )
    note = models.TextField(
        _("统计口径补充说明"),
        blank=True,
        help_text=_("市总工会统计人员对口径的补充说明，随指标在看板、明细和成绩单中显示"),
    )

    history = AuditedHistory()

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.name_zh


class IndicatorTarget(models.Model):
    """A year's target for an indicator, or the figure published for that year (the baseline the
    next year is measured against)."""

    class Kind(models.TextChoices):
        TARGET = "target", _("目标值")
        PUBLISHED = "published", _("公布值（基数）")

    class Comparator(models.TextChoices):
        GTE = ">=", _("不低于")
        GT = ">", _("超过")
        LTE = "<=", _("不高于")
        EQ = "=", _("等于")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    comparator = models.CharField(
        _("比较方式"), max_length=2, choices=Comparator.choices, default=Comparator.GTE
    )
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)
    # The city's targets and published figures have no union; a city target split to a district
    # names it (only targets are split: a published figure is the city's).
    union = models.ForeignKey(
        Union,
        verbose_name=_("分解到"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空为全市目标；选择区县总工会，为市目标分解到该区县的部分"),
    )

    history = AuditedHistory()

    class Meta:
        verbose_name = _("年度目标与基数")
        verbose_name_plural = _("年度目标与基数")
        ordering = ["indicator__position", "year", "kind", "union__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "kind"],
                condition=Q(union__isnull=True),
                name="indicator_target_city_one_per_year_kind",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "kind", "union"],
                condition=Q(union__isnull=False),
                name="indicator_target_district_one_per_year_kind",
            ),
            models.CheckConstraint(
                condition=Q(union__isnull=True) | Q(kind="target"),
                name="indicator_target_split_is_a_target",
            ),
        ]

    def __str__(self) -> str:
        where = f" {self.union}" if self.union_id else ""
        return (
            f"{self.indicator} {self.year}{where} {self.get_kind_display()} "
            f"{self.comparator} {self.value}"
        )

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.union_id is None:
            return
        errors = {}
        if self.union.level != Union.Level.DISTRICT:
            errors["union"] = _("市目标只分解到区县总工会；留空为全市目标。")
        if self.kind != self.Kind.TARGET:
            errors["kind"] = _("公布值（基数）是全市的数字，不分解到区县。")
        if errors:
            raise ValidationError(errors)

    def is_met(self, value) -> bool:
        return {
            ">=": value >= self.value,
            ">": value > self.value,
            "<=": value <= self.value,
            "=": value == self.value,
        }[self.comparator]


class RollupRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("汇总中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")
        REFUSED = "refused", _("未执行（已有汇总在进行）")

    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    progress_done = models.PositiveIntegerField(_("已完成项"), default=0)
    progress_total = models.PositiveIntegerField(_("总项数"), default=0)
    message = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("汇总任务")
        verbose_name_plural = _("汇总任务")
        ordering = ["-created_at", "-id"]
        permissions = [("run_rollup", _("可发起指标汇总"))]

    def __str__(self) -> str:
        return f"{self.year} #{self.pk} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status == self.Status.SUCCEEDED else 0
        return round(100 * self.progress_done / self.progress_total)


class RollupLock(models.Model):
    """One row per year: which run holds the year, and when it last proved it was alive. A run
    claims the row with a conditional UPDATE (free, or its holder's heartbeat is stale) and checks
    the row count, so two roll-ups of one year never interleave and a killed one cannot block the
    next forever."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    run = models.ForeignKey(
        RollupRun,
        verbose_name=_("持有任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)

    class Meta:
        verbose_name = _("汇总锁")
        verbose_name_plural = _("汇总锁")

    def __str__(self) -> str:
        return f"{self.year}: {self.run_id or '-'}"


class Snapshot(models.Model):
    """Every indicator for every city, district and township node for one year, as computed by one
    successful run. Exactly one snapshot per year is current; older ones stay as a record of past
    runs. The months and the same date last year are not read from this history (a year rolled up
    after it closed would show as one point in the month it was rolled up in): each value row
    carries them, computed from the records' own dates as of `as_of`."""

    year = models.PositiveSmallIntegerField(_("年度"))
    run = models.OneToOneField(
        RollupRun, verbose_name=_("汇总任务"), on_delete=models.PROTECT, related_name="snapshot"
    )
    computed_at = models.DateTimeField(_("计算时间"))
    duration = models.DurationField(_("用时"))
    # The local day the months and the same date last year were cut at (the day the run started);
    # None on snapshots made before they were computed.
    as_of = models.DateField(_("数据截至日期"), null=True, blank=True)
    is_current = models.BooleanField(_("当前使用"), default=False)

    class Meta:
        verbose_name = _("指标快照")
        verbose_name_plural = _("指标快照")
        ordering = ["-computed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(is_current=True), name="snapshot_one_current_per_year"
            )
        ]
        indexes = [models.Index(fields=["year", "computed_at"], name="snapshot_year_time_idx")]

    def __str__(self) -> str:
        return f"{self.year}（{self.computed_at:%Y-%m-%d %H:%M}）"


class SnapshotValue(models.Model):
    snapshot = models.ForeignKey(
        Snapshot, verbose_name=_("快照"), on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="+"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("工会组织"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=2)
    # Only for the city and district nodes, and only for figures whose records carry a date
    # (Figure.date_field): the value as it stood at the end of each month of the year, as decimal
    # strings, twelve entries; months after `Snapshot.as_of` are null. Null for a stock.
    months = models.JSONField(_("逐月累计"), null=True, blank=True)
    # The previous year's value up to the same day of the year as `Snapshot.as_of` (for a year
    # already over, the previous year's whole value). Null when it cannot be known.
    last_year_same_date = models.DecimalField(
        _("上年同期"), max_digits=16, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("快照数值")
        verbose_name_plural = _("快照数值")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "union", "indicator"], name="snapshot_value_one_per_node"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}@{self.union_id}={self.value}"
