"""The OpenAPI schema documents the error answers every operation can give, so clients (and
schemathesis in tests/security) may rely on the schema for every status the API sends.

Two rules keep the response schemas true to what the serializers send:
- a read-only field whose source walks through a nullable column or a nullable relation (or that
  falls back to `default=None`) is declared `nullable`, so a new output field cannot forget it;
- a field named in a serializer's `conditional_fields` is left out of `required`: it is present
  only for some callers (the full `id_number`, for a caller who may reveal it)."""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

# DRF's error bodies: {"detail": "..."} or {"<field>": ["..."], ...}.
_ERROR_BODY = {"type": "object", "additionalProperties": True}
ERROR_RESPONSES = {
    "400": "输入有误（含不存在或不在您的管辖范围内的引用）",
    "403": "无权执行此操作",
    "404": "不存在或不在您的管辖范围内",
}


def source_may_be_null(field) -> bool:
    """True if a read-only serializer field can answer null: its default is None, or its source,
    walked through the serializer's model, passes a nullable column or relation (DRF answers
    null for a missing related object)."""
    if field.default is None:
        return True
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or field.source == "*":
        return False
    for attr in field.source_attrs:
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False  # a property or method: its own annotation says
        if getattr(model_field, "null", False):
            return True
        if model_field.auto_created and not model_field.concrete:
            return model_field.one_to_one  # a reverse one-to-one may be missing
        if not model_field.is_relation:
            return False
        model = model_field.related_model
    return False


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        for status, description in ERROR_RESPONSES.items():
            responses.setdefault(
                status,
                {
                    "content": {"application/json": {"schema": _ERROR_BODY}},
                    "description": description,
                },
            )
        return responses

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
