"""GET /api/v1/dashboard/indicators/?year=Y&union=CODE: every indicator of the registry with its
value from the year's current snapshot. Scoped like everything else: a union outside the caller's
tree is refused with 403; `union` defaults to the top of the caller's tree."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboard import caching, selectors
from dashboard.services import ROLLUP_LEVELS
from members.permissions import IsScopedStaff


class IndicatorQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    union = serializers.CharField(max_length=32, required=False)


class IndicatorOutput(serializers.Serializer):
    key = serializers.CharField(source="indicator.key")
    name = serializers.CharField(source="indicator.name_zh")
    theme = serializers.CharField(source="indicator.theme")
    theme_display = serializers.CharField(source="indicator.get_theme_display")
    unit = serializers.CharField(source="indicator.get_unit_display")
    value = serializers.DecimalField(
        max_digits=16, decimal_places=2, allow_null=True, help_text="null: 暂无数据"
    )
    target = serializers.DecimalField(
        source="target.value", max_digits=14, decimal_places=2, allow_null=True, default=None
    )
    target_comparator = serializers.CharField(
        source="target.comparator", allow_null=True, default=None
    )
    baseline = serializers.DecimalField(
        source="baseline.value",
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        default=None,
        help_text="上年公布值（基数）",
    )
    published = serializers.DecimalField(
        source="published.value",
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        default=None,
        help_text="本年公布值",
    )
    computed_at = serializers.DateTimeField(allow_null=True)


class IndicatorListOutput(serializers.Serializer):
    year = serializers.IntegerField()
    union = serializers.CharField(help_text="工会编码")
    computed_at = serializers.DateTimeField(
        allow_null=True, help_text="快照计算时间；null：尚未汇总"
    )
    results = IndicatorOutput(many=True)


class IndicatorListView(APIView):
    permission_classes = [IsScopedStaff]

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="年度，默认当年"),
            OpenApiParameter("union", OpenApiTypes.STR, description="工会编码，默认本人所属工会"),
        ],
        responses={200: IndicatorListOutput},
    )
    def get(self, request):
        query = IndicatorQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year
        union = selectors.union_for(viewer=request.user, code=query.validated_data.get("union"))
        key = (
            caching.current_board_key(year=year, union_code=union.code)
            if union.level in ROLLUP_LEVELS
            else None
        )
        if key is None:  # no snapshot yet, or a grassroots union (computed live)
            return Response(self.payload(request, year, union))
        # The scope check is done (union_for): only now may a 304 or a cached body be sent.
        etag = caching.etag_of(key)
        headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
        if caching.matches(request, etag):
            return Response(status=304, headers=headers)
        data = caching.cached(key, lambda: self.payload(request, year, union))
        return Response(data, headers=headers)

    def payload(self, request, year, union) -> dict:
        result = selectors.board(viewer=request.user, year=year, union=union)
        computed_at = result.computed_at
        for row in result.rows:
            row.computed_at = computed_at if row.value is not None else None
        data = IndicatorListOutput(
            {
                "year": year,
                "union": union.code,
                "computed_at": computed_at,
                "results": result.rows,
            }
        ).data
        return json.loads(json.dumps(data, cls=DjangoJSONEncoder))  # plain types for the cache
