"""The selection before a model-worker honour over the API: nominate (create), then review,
notice, objections and conferral, each an action calling its own service, in order."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action

from common.api import ScopedReadViewSet, scoped_union_input, service_call
from members.scoping import scope_queryset
from skills import services
from skills.api._common import RecordOutput, enterprise_input, member_input
from skills.models import Honour, HonourSelection, SelectionObjection


class NominationInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Honour.Kind.choices)
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    awarding_body = serializers.CharField(max_length=200)
    member = member_input(required=False, allow_null=True)
    collective_name = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    enterprise = enterprise_input(required=False, allow_null=True)
    union = scoped_union_input(required=False, allow_null=True)
    nominated_on = serializers.DateField()
    nominator = serializers.CharField(max_length=200)
    deeds = serializers.CharField()


class ObjectionOutput(serializers.ModelSerializer):
    class Meta:
        model = SelectionObjection
        fields = ["id", "received_on", "content", "handled_on", "upheld", "handling"]


class SelectionOutput(RecordOutput):
    objections = ObjectionOutput(many=True, read_only=True)

    class Meta:
        model = HonourSelection
        fields = [
            "id",
            "kind",
            "year",
            "awarding_body",
            "member",
            "collective_name",
            "union",
            "union_name",
            "nominated_on",
            "nominator",
            "deeds",
            "stage",
            "reviewed_on",
            "review_note",
            "notice_starts_on",
            "notice_ends_on",
            "conferred_on",
            "honour",
            "stopped_reason",
            "objections",
        ]


class ReviewInput(serializers.Serializer):
    reviewed_on = serializers.DateField()
    passed = serializers.BooleanField()
    note = serializers.CharField(required=False, default="", allow_blank=True)


class NoticeInput(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class ObjectionInput(serializers.Serializer):
    received_on = serializers.DateField()
    content = serializers.CharField()


class HandleInput(serializers.Serializer):
    objection = serializers.IntegerField()
    handled_on = serializers.DateField()
    upheld = serializers.BooleanField()
    handling = serializers.CharField()


class ConferInput(serializers.Serializer):
    conferred_on = serializers.DateField()


class SelectionViewSet(ScopedReadViewSet):
    output_serializer = SelectionOutput
    filterset_fields = ["stage", "kind", "year"]

    def get_queryset(self):
        qs = HonourSelection.objects.select_related("union").prefetch_related("objections")
        return scope_queryset(qs, self.request.user).order_by("-year", "id")

    def _step(self, input_class, service, **extra):
        data = self.read_input(input_class)
        service_call(service, selection=self.get_object(), by=self.request.user, **data, **extra)
        return self.respond(self.get_queryset().get(pk=self.kwargs["pk"]))

    @extend_schema(request=NominationInput, responses={201: SelectionOutput})
    def create(self, request, *args, **kwargs):
        data = self.read_input(NominationInput)
        selection = service_call(services.selection_nominate, by=request.user, **data)
        return self.respond(selection, status.HTTP_201_CREATED)

    @extend_schema(request=ReviewInput, responses={200: SelectionOutput})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self._step(ReviewInput, services.selection_review)

    @extend_schema(request=NoticeInput, responses={200: SelectionOutput})
    @action(detail=True, methods=["post"])
    def notice(self, request, pk=None):
        return self._step(NoticeInput, services.selection_notice)

    @extend_schema(request=ObjectionInput, responses={200: SelectionOutput})
    @action(detail=True, methods=["post"])
    def objections(self, request, pk=None):
        return self._step(ObjectionInput, services.selection_objection_receive)

    @extend_schema(request=HandleInput, responses={200: SelectionOutput})
    @action(detail=True, methods=["post"])
    def handle(self, request, pk=None):
        selection = self.get_object()
        data = self.read_input(HandleInput)
        objection = selection.objections.filter(pk=data.pop("objection")).first()
        if objection is None:
            from rest_framework.exceptions import ValidationError

            from members.scoping import NOT_IN_SCOPE

            raise ValidationError({"objection": [str(NOT_IN_SCOPE)]})
        service_call(
            services.selection_objection_handle, objection=objection, by=request.user, **data
        )
        return self.respond(self.get_queryset().get(pk=pk))

    @extend_schema(request=ConferInput, responses={200: SelectionOutput})
    @action(detail=True, methods=["post"])
    def confer(self, request, pk=None):
        return self._step(ConferInput, services.selection_confer)
