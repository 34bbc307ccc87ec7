"""The OpenAPI schema documents the error answers every operation can give, so clients (and
schemathesis in tests/security) may rely on the schema for every status the API sends.

Two rules keep the response schemas true to what the serializers send:
- a read-only field whose source walks through a nullable column or a nullable relation (or that
  falls back to `default=None`) is declared `nullable`, and a read-only choice of a column that
  allows blank lists "" among its values, so a new output field cannot forget either;
- a field named in a serializer's `conditional_fields` is left out of `required`: it is present
  only for some callers (the full `id_number`, for a caller who may reveal it)."""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

# DRF's error bodies: {"detail": "..."} or {"<field>": ["..."], ...}.
_ERROR_BODY = {"type": "object", "additionalProperties": True}
ERROR_RESPONSES = {
    "400": "输入有误（含不存在或不在您的管辖范围内的引用）",
    # No token, an expired or revoked one, or a token of the other kind (a staff token on the
    # member API /api/v1/me/, a member's on the staff API).
    "401": "未登录，或令牌无效、已过期",
    "403": "无权执行此操作",
    "404": "不存在或不在您的管辖范围内",
}


def _source_fields(field) -> list | None:
    """The model fields a serializer field's source walks through, or None when the source is
    not a plain walk of model fields (a property, a method, the whole object)."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or field.source == "*":
        return None
    walked = []
    for attr in field.source_attrs:
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return None  # a property or method: its own annotation says
        walked.append(model_field)
        if not model_field.is_relation:
            break
        model = model_field.related_model
    return walked


def source_may_be_null(field) -> bool:
    """True if a read-only serializer field can answer null: its default is None, or its source
    passes a nullable column or relation (DRF answers null for a missing related object)."""
    if field.default is None:
        return True
    for model_field in _source_fields(field) or ():
        if getattr(model_field, "null", False):
            return True
        if model_field.auto_created and not model_field.concrete and model_field.one_to_one:
            return True  # a reverse one-to-one may be missing
    return False


def source_may_be_blank(field) -> bool:
    """True if a read-only choice field can answer "": its column allows blank (DRF drops
    `allow_blank` from read-only fields, so the schema would list only the choices)."""
    walked = _source_fields(field)
    return bool(walked) and getattr(walked[-1], "blank", False)


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        errors = dict(ERROR_RESPONSES)
        if self.method in ("POST", "PUT", "PATCH"):
            # A body DRF has no parser for (or a multipart one it cannot read).
            errors["415"] = "请求正文的媒体类型不受支持"
        for status, description in errors.items():
            responses.setdefault(
                status,
                {
                    "content": {"application/json": {"schema": _ERROR_BODY}},
                    "description": description,
                },
            )
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if (
            isinstance(field, serializers.ChoiceField)
            and field.read_only
            and not field.allow_blank
            and source_may_be_blank(field)
        ):
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if field.read_only and not meta.get("nullable") and source_may_be_null(field):
            meta["nullable"] = True
        return meta

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        conditional = set(getattr(serializer, "conditional_fields", ()))
        if conditional and schema.get("required"):
            schema["required"] = [name for name in schema["required"] if name not in conditional]
            if not schema["required"]:
                del schema["required"]
        return schema
