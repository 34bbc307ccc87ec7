"""Pieces shared by every line of work of the skills API: input serializers check the shape and
resolve every reference through the caller's scope (`common.api`), the view calls the entity's
own service through `service_call`, and an output serializer shapes the answer."""

from rest_framework import serializers

from common.api import ScopedPrimaryKeyRelatedField
from members.models import Enterprise, Member


def member_input(**kwargs) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(model=Member, **kwargs)


def enterprise_input(**kwargs) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(model=Enterprise, **kwargs)


class RecordOutput(serializers.ModelSerializer):
    """Records are addressed by id; unions by their code."""

    union = serializers.SlugRelatedField(slug_field="code", read_only=True)
    union_name = serializers.CharField(source="union.name", read_only=True)
