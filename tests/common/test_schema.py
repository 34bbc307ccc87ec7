"""The published schema documents every error status the API answers (the fuzz run in
tests/security checks each answer against it), and names each set of choices by its meaning."""

from django.conf import settings
from drf_spectacular.generators import SchemaGenerator


def test_every_operation_documents_401_and_every_write_documents_415():
    # A staff token on /api/v1/me/ answers 401 and a body DRF cannot parse answers 415: both
    # were undocumented, so the fuzz run failed the member API and the multipart uploads.
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    missing = []
    for path, operations in paths.items():
        for method, operation in operations.items():
            expected = {"400", "401", "403", "404"}
            if method in ("post", "put", "patch"):
                expected.add("415")
            if not expected <= set(operation["responses"]):
                missing.append(f"{method.upper()} {path}")
    assert not missing, missing


def test_every_enum_component_is_named_for_what_it_means():
    # drf-spectacular names a set of choices after its field ("scope" → ScopeEnum), or on a
    # collision after the serializer ("NegotiationOutputStageEnum") or a hash ("Status0ecEnum"),
    # unless ENUM_NAME_OVERRIDES names it. Such a name says nothing of whose choices a client's
    # generated type holds, and changes under the client the day another model adds a field of
    # that name. BlankEnum / NullEnum are spectacular's own ("" and null beside a choice).
    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    named = set(settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"])
    enums = {name for name in schemas if name.endswith("Enum")} - {"BlankEnum", "NullEnum"}
    assert "WageContractScopeEnum" in enums
    assert sorted(enums - named) == []
