"""The OpenAPI schema documents the error answers every operation can give, so clients (and
schemathesis in tests/security) may rely on the schema for every status the API sends."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

# DRF's error bodies: {"detail": "..."} or {"<field>": ["..."], ...}.
_ERROR_BODY = {"type": "object", "additionalProperties": True}
ERROR_RESPONSES = {
    "400": "输入有误（含不存在或不在您的管辖范围内的引用）",
    "403": "无权执行此操作",
    "404": "不存在或不在您的管辖范围内",
}


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
