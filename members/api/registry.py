"""API of the registry under /api/v1/: unions and enterprises (read, and write through their
services), members (scoped reads, full-ID lookup by POST, writes through services)."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import (
    ScopedSlugRelatedField,
    service_call,
)
from members import selectors, services
from members.filters import UnionSubtreeFilter
from members.models import Enterprise, IdNumberAccess, Member, Union
from members.permissions import STAFF_PERMISSIONS, IsScopedStaff, ModelPermissions
from members.validators import parse_id_number


class UnionOutput(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Union
        fields = ["code", "name", "level", "level_display", "parent", "is_joint"]


class UnionFilter(django_filters.FilterSet):
    within = UnionSubtreeFilter(union_field="", label="在该工会之下（编码）")
    search = django_filters.CharFilter(method="filter_search", label="名称或编码")

    class Meta:
        model = Union
        fields = ["level", "is_joint"]

    def filter_search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(code__startswith=value))


class UnionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnionOutput
    permission_classes = STAFF_PERMISSIONS
    filterset_class = UnionFilter
    lookup_field = "code"
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return selectors.union_list(viewer=self.request.user)


class EnterpriseOutput(serializers.ModelSerializer):
    union = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "industry",
            "above_designated_size",
            "is_state_owned",
            "reform_pilot_year",
            "union",
        ]


class EnterpriseInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    credit_code = serializers.CharField(max_length=18)
    union = ScopedSlugRelatedField(model=Union, slug_field="code")
    industry = serializers.ChoiceField(
        choices=Enterprise.Industry.choices, required=False, default=""
    )
    above_designated_size = serializers.BooleanField(required=False, default=False)
    is_state_owned = serializers.BooleanField(required=False, default=False)


class EnterpriseUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    union = ScopedSlugRelatedField(model=Union, slug_field="code", required=False)
    industry = serializers.ChoiceField(choices=Enterprise.Industry.choices, required=False)
    above_designated_size = serializers.BooleanField(required=False)
    is_state_owned = serializers.BooleanField(required=False)
    reform_pilot_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1949, max_value=2100
    )


class EnterpriseFilter(django_filters.FilterSet):
    union = UnionSubtreeFilter()
    search = django_filters.CharFilter(method="filter_search", label="名称或统一社会信用代码")

    class Meta:
        model = Enterprise
        fields = ["industry", "above_designated_size", "is_state_owned"]

    def filter_search(self, qs, name, value):
        return qs.filter(selectors.enterprise_search_q(value.strip()))


class EnterpriseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = EnterpriseOutput
    permission_classes = STAFF_PERMISSIONS
    filterset_class = EnterpriseFilter
    ordering_fields = ["name", "id"]

    def get_queryset(self):
        return selectors.enterprise_list(viewer=self.request.user).order_by("name", "id")

    @extend_schema(request=EnterpriseInput, responses={201: EnterpriseOutput})
    def create(self, request, *args, **kwargs):
        data = EnterpriseInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        enterprise = service_call(
            services.enterprise_create, by=request.user, **data.validated_data
        )
        return Response(EnterpriseOutput(enterprise).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EnterpriseUpdateInput, responses={200: EnterpriseOutput})
    def update(self, request, *args, **kwargs):
        enterprise = self.get_object()
        data = EnterpriseUpdateInput(data=request.data, context={"request": request}, partial=True)
        data.is_valid(raise_exception=True)
        enterprise = service_call(
            services.enterprise_update,
            enterprise=enterprise,
            data=dict(data.validated_data),
            by=request.user,
        )
        return Response(EnterpriseOutput(enterprise).data)


class MemberOutput(serializers.ModelSerializer):
    union = serializers.SlugRelatedField(slug_field="code", read_only=True)
    union_name = serializers.CharField(source="union.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, default=None)
    enterprise_credit_code = serializers.CharField(
        source="enterprise.credit_code", read_only=True, default=None
    )
    id_number = serializers.SerializerMethodField(
        help_text="完整公民身份号码：仅对有查看完整号码权限的调用者返回，否则不含此字段。"
    )
    # Present only for a caller who may reveal full numbers (see to_representation); the schema
    # leaves it out of `required` (common.schema).
    conditional_fields = ("id_number",)

    class Meta:
        model = Member
        fields = [
            "id",
            "name",
            "id_number_masked",
            "id_number",
            "gender",
            "birth_date",
            "phone",
            "union",
            "union_name",
            "enterprise",
            "enterprise_name",
            "enterprise_credit_code",
            "employment_form",
            "joined_on",
            "left_on",
            "status",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_id_number(self, member) -> str | None:
        """The full number: present only for a caller with members.reveal_id_number."""
        return self.context.get("id_numbers", {}).get(member.pk)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if "id_numbers" not in self.context:
            data.pop("id_number")
        return data


class MemberCreateInput(serializers.Serializer):
    id_number = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=50)
    union = ScopedSlugRelatedField(model=Union, slug_field="code")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    enterprise = ScopedSlugRelatedField(
        model=Enterprise, slug_field="credit_code", required=False, allow_null=True
    )
    employment_form = serializers.ChoiceField(
        choices=Member.EmploymentForm.choices,
        required=False,
        default=Member.EmploymentForm.STANDARD,
    )
    joined_on = serializers.DateField(required=False)


class MemberUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=50, required=False)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    enterprise = ScopedSlugRelatedField(
        model=Enterprise, slug_field="credit_code", required=False, allow_null=True
    )
    employment_form = serializers.ChoiceField(choices=Member.EmploymentForm.choices, required=False)
    joined_on = serializers.DateField(required=False)


FULL_ID_IN_URL = _(
    "完整公民身份号码不能放在网址中查询（会留在访问日志里）："
    '请改用按公民身份号码查找：POST /api/v1/members/lookup/，正文 {"id_number": "…"}。'
)


class IdLookupInput(serializers.Serializer):
    id_number = serializers.CharField(max_length=32)

    def validate_id_number(self, value: str) -> str:
        try:
            return parse_id_number(value).number
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class LookupPermissions(ModelPermissions):
    """A lookup is a read sent by POST (so the number stays out of the URL): view permission."""

    perms_map = {**ModelPermissions.perms_map, "POST": ["%(app_label)s.view_%(model_name)s"]}


class MemberFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label="姓名或手机号（完整公民身份号码请用 POST lookup/）"
    )
    union = UnionSubtreeFilter()
    enterprise = django_filters.CharFilter(
        field_name="enterprise__credit_code", label="工作单位统一社会信用代码"
    )
    new_employment_form = django_filters.BooleanFilter(method="filter_new_form", label="新就业形态")
    joined_after = django_filters.DateFilter(field_name="joined_on", lookup_expr="gte")
    joined_before = django_filters.DateFilter(field_name="joined_on", lookup_expr="lte")

    class Meta:
        model = Member
        fields = ["status", "employment_form", "gender"]

    def filter_search(self, qs, name, value):
        if selectors.looks_like_full_id_number(value):
            raise serializers.ValidationError({"search": [str(FULL_ID_IN_URL)]})
        return qs.filter(selectors.member_search_q(value.strip()))

    def filter_new_form(self, qs, name, value):
        standard = Q(employment_form=Member.EmploymentForm.STANDARD)
        return qs.exclude(standard) if value else qs.filter(standard)


class MemberViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MemberOutput
    permission_classes = STAFF_PERMISSIONS
    filterset_class = MemberFilter
    ordering_fields = ["joined_on", "name", "id"]
    ordering = ["-joined_on", "id"]

    def get_queryset(self):
        return selectors.member_list(viewer=self.request.user)

    def _with_ids(self, members) -> dict:
        """Serializer context carrying full ID numbers for a permitted caller (each recorded)."""
        context = self.get_serializer_context()
        if services.can_view_full_id(self.request.user):
            context["id_numbers"] = services.id_numbers_reveal(
                members=members, viewer=self.request.user, channel=IdNumberAccess.Channel.API
            )
        return context

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        page = list(page) if page is not None else list(queryset)
        data = MemberOutput(page, many=True, context=self._with_ids(page)).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        member = self.get_object()
        return Response(MemberOutput(member, context=self._with_ids([member])).data)

    @extend_schema(request=IdLookupInput, responses={200: MemberOutput(many=True)})
    @action(
        detail=False,
        methods=["post"],
        permission_classes=[IsScopedStaff, LookupPermissions],
        filter_backends=[],
        pagination_class=None,
    )
    def lookup(self, request):
        """The caller's members holding a full ID number, sent in the body, never in the URL."""
        data = IdLookupInput(data=request.data)
        data.is_valid(raise_exception=True)
        members = list(
            selectors.member_lookup(viewer=request.user, id_number=data.validated_data["id_number"])
        )
        return Response(MemberOutput(members, many=True, context=self._with_ids(members)).data)

    @extend_schema(request=MemberCreateInput, responses={201: MemberOutput})
    def create(self, request, *args, **kwargs):
        data = MemberCreateInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        member = service_call(services.member_create, by=request.user, **data.validated_data)
        return Response(MemberOutput(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberUpdateInput, responses={200: MemberOutput})
    def update(self, request, *args, **kwargs):
        member = self.get_object()
        data = MemberUpdateInput(data=request.data, context={"request": request}, partial=True)
        data.is_valid(raise_exception=True)
        member = service_call(
            services.member_update, member=member, data=dict(data.validated_data), by=request.user
        )
        return Response(MemberOutput(member).data)

    @extend_schema(request=MemberUpdateInput, responses={200: MemberOutput})
    def partial_update(self, request, *args, **kwargs):
        # PUT and PATCH both apply MemberUpdateInput partially; without this the schema
        # documented MemberOutput (an unscoped `enterprise` id) as the PATCH body.
        return self.update(request, *args, **kwargs)
