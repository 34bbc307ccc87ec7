"""The registry, targets and published figures are edited here by city-level staff (they are the
city's); roll-up runs and snapshots are read-only records of what the system computed."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.figures import load_all
from dashboard.models import Indicator, IndicatorTarget, RollupRun, Snapshot
from members.admin_mixins import ScopedHistoryAdmin
from members.scoping import is_city_staff


class CityEditedAdmin(admin.ModelAdmin):
    """Everyone with the view permission reads; only city-level admins change the city's targets."""

    def has_add_permission(self, request):
        return is_city_staff(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_city_staff(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


def district_choices(db_field, kwargs: dict) -> dict:
    """A city target is split to districts only (IndicatorTarget.clean says so too)."""
    from members.models import Union

    if db_field.name == "union":
        kwargs["queryset"] = Union.objects.filter(level=Union.Level.DISTRICT).order_by("code")
    return kwargs


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 1
    fields = ["year", "kind", "union", "comparator", "value"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **district_choices(db_field, kwargs)
        )

    def has_add_permission(self, request, obj=None):
        return is_city_staff(request.user) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_city_staff(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_city_staff(request.user)


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "key",
            "name_zh",
            "theme",
            "unit",
            "app",
            "quote",
            "accumulates",
            "position",
            "cumulative_since",
            "note",
        ]

    def clean_cumulative_since(self):
        since = self.cleaned_data.get("cumulative_since")
        key = self.instance.key or self.cleaned_data.get("key")
        fig = load_all().get(key)
        if since and not (fig and fig.cumulative):
            # Only a figure declared cumulative reads the date: refuse it rather than ignore it.
            raise forms.ValidationError(
                _("该指标按年度统计，不支持累计起始日期；请留空。可累计的指标在统计口径中注明。")
            )
        return since


@admin.register(Indicator)
class IndicatorAdmin(ScopedHistoryAdmin, CityEditedAdmin):
    list_display = [
        "name_zh",
        "key",
        "theme",
        "unit",
        "app",
        "accumulates",
        "cumulative_since",
        "position",
    ]
    list_filter = ["theme", "app", "unit"]
    search_fields = ["name_zh", "key"]
    inlines = [IndicatorTargetInline]

    def get_readonly_fields(self, request, obj=None):
        # The key ties the row to the figure an app declares: renaming it would orphan the figure.
        # The definition (统计口径) is the code's: it is shown, reviewed with the code, not edited.
        return ["key", "definition"] if obj else ["definition"]

    @admin.display(description=_("统计口径（随代码）"))
    def definition(self, obj):
        fig = load_all().get(obj.key) if obj and obj.key else None
        return fig.definition if fig else _("暂无数据来源")

    form = IndicatorForm


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(ScopedHistoryAdmin, CityEditedAdmin):
    """The city's targets and published figures, and the city targets split to districts: city
    staff edit them, every edit keeps its history (ScopedHistoryAdmin)."""

    list_display = ["indicator", "year", "kind", "where", "comparator", "value"]
    list_filter = ["year", "kind", "indicator__theme", ("union", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["indicator__name_zh", "indicator__key"]
    autocomplete_fields = ["indicator"]
    list_select_related = ["indicator", "union"]
    fields = ["indicator", "year", "kind", "union", "comparator", "value"]

    @admin.display(description=_("范围"), ordering="union__code")
    def where(self, obj):
        return obj.union.name if obj.union_id else _("全市")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **district_choices(db_field, kwargs)
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RollupRun)
class RollupRunAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "year",
        "status",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "progress_done",
        "progress_total",
    ]
    list_filter = ["year", "status"]


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["year", "computed_at", "as_of", "duration", "is_current", "run"]
    list_filter = ["year", "is_current"]
    readonly_fields = [
        "year",
        "computed_at",
        "as_of",
        "duration",
        "is_current",
        "run",
        "value_count",
    ]

    @admin.display(description=_("数值个数"))
    def value_count(self, obj):
        return obj.values.count()
