"""Pieces shared by every line of work of the skills API."""

from rest_framework import mixins, serializers, viewsets

from common.api import service_call
from members.models import Union
from members.permissions import STAFF_PERMISSIONS
from skills import services


class UnionCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Union.objects.all(), **kwargs)


class RecordSerializer(serializers.ModelSerializer):
    """Records are addressed by id; unions by their code."""

    union = UnionCodeField()
    union_name = serializers.CharField(source="union.name", read_only=True)


class RecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and change a plain record; writes go through `services.record_save`
    (no deletes: records are corrected, never removed)."""

    permission_classes = STAFF_PERMISSIONS
    selector = None

    def get_queryset(self):
        return self.selector(viewer=self.request.user).order_by("-id")

    def perform_create(self, serializer):
        instance = serializer.Meta.model(**serializer.validated_data)
        serializer.instance = service_call(
            services.record_save, instance=instance, by=self.request.user
        )

    def perform_update(self, serializer):
        instance = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        serializer.instance = service_call(
            services.record_save, instance=instance, by=self.request.user
        )


# --- the plain records -------------------------------------------------------------------------


def record_viewset(model, selector, fields, filters=()):
    serializer = type(
        f"{model.__name__}Serializer",
        (RecordSerializer,),
        {
            "Meta": type(
                "Meta", (), {"model": model, "fields": ["id", *fields, "union", "union_name"]}
            )
        },
    )
    return type(
        f"{model.__name__}ViewSet",
        (RecordViewSet,),
        {
            "serializer_class": serializer,
            "selector": staticmethod(selector),
            "filterset_fields": list(filters),
            "__doc__": str(model._meta.verbose_name),
        },
    )
