"""Member API: honours and certificates, and golden ideas (with an optional photo, which the
member can fetch back)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response

from common.api import service_call
from portal.api import (
    LIST_LIMIT,
    MemberView,
)
from portal.api_services._common import NOT_FOUND
from skills import selectors as skill_selectors
from skills import services as skill_services
from skills.photos import idea_photo_response
from skills.services.innovation import IDEA_PHOTO_TYPES


class MeHonourOutput(serializers.Serializer):
    kind = serializers.CharField(source="get_kind_display")
    year = serializers.IntegerField()
    awarding_body = serializers.CharField()


class MeCertificationOutput(serializers.Serializer):
    level = serializers.CharField(source="get_level_display")
    occupation = serializers.CharField()
    certified_on = serializers.DateField()
    certificate_no = serializers.CharField()


class MeHonoursOutput(serializers.Serializer):
    honours = MeHonourOutput(many=True)
    certifications = MeCertificationOutput(many=True)


class HonoursView(MemberView):
    """The member's own titles (劳模, 工匠...) and skill certificates."""

    @extend_schema(tags=["me"], responses={200: MeHonoursOutput})
    def get(self, request):
        member = request.member
        out = MeHonoursOutput(
            {
                "honours": skill_selectors.member_honours(member=member)[:LIST_LIMIT],
                "certifications": skill_selectors.member_certifications(member=member)[:LIST_LIMIT],
            }
        )
        return Response(out.data)


class MeIdeaInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(
        max_length=5000, help_text=_("现在存在什么问题、怎样改进、能带来什么效果")
    )
    photo = serializers.FileField(
        required=False, help_text=_("可选，一张 JPG 或 PNG 照片，不超过 10 MB")
    )


class MeIdeaOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    content = serializers.CharField()
    submitted_on = serializers.DateField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    has_photo = serializers.SerializerMethodField()
    photo_url = serializers.SerializerMethodField(
        help_text=_("照片地址（ideas/{id}/photo/，须带会员令牌）；没有照片时为 null")
    )

    def get_has_photo(self, idea) -> bool:
        return bool(idea.photo)

    def get_photo_url(self, idea) -> str | None:
        return reverse("me:idea-photo", args=[idea.pk]) if idea.photo else None


class IdeasView(MemberView):
    """The member's own golden ideas (金点子) and what became of them; POST submits one, with at
    most one photo (multipart)."""

    @extend_schema(tags=["me"], responses={200: MeIdeaOutput(many=True)})
    def get(self, request):
        rows = skill_selectors.member_ideas(member=request.member)[:LIST_LIMIT]
        return Response(MeIdeaOutput(rows, many=True).data)

    @extend_schema(
        tags=["me"],
        request={"multipart/form-data": MeIdeaInput, "application/json": MeIdeaInput},
        responses={201: MeIdeaOutput, 400: OpenApiResponse(description=_("内容不完整或照片有误"))},
    )
    def post(self, request):
        data = MeIdeaInput(data=request.data)
        data.is_valid(raise_exception=True)
        idea = service_call(
            skill_services.golden_idea_submit,
            member=request.member,
            by=self.actor,
            **data.validated_data,
        )
        return Response(MeIdeaOutput(idea).data, status=status.HTTP_201_CREATED)


class IgnoreClientContentNegotiation(BaseContentNegotiation):
    """The photo is answered in the type it was stored as, whatever the client's Accept header
    says (an image view may ask for image/* only); a refusal (404, 401/403) is JSON. DRF's own
    negotiation would answer such a client 406 before it even looked at the token."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return (renderers[0], renderers[0].media_type)


_PHOTO = OpenApiResponse(
    response=OpenApiTypes.BINARY,
    description=_("照片原文件（JPG 或 PNG），不缓存"),
)


class IdeaPhotoView(MemberView):
    """The photo of one of the member's own golden ideas, as the portal's page shows it: another
    member's idea, or one without a photo, is not found."""

    content_negotiation_class = IgnoreClientContentNegotiation

    @extend_schema(
        tags=["me"],
        responses={
            **{(200, content_type): _PHOTO for content_type in sorted(IDEA_PHOTO_TYPES)},
            404: NOT_FOUND,
        },
    )
    def get(self, request, pk: int):
        # Whatever id is in the URL, only the person's own ideas are looked in.
        idea = get_object_or_404(
            skill_selectors.member_ideas(member=request.member).exclude(photo=""), pk=pk
        )
        return idea_photo_response(idea)
