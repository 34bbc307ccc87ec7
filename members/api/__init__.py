"""REST API of the registry: /api/v1/unions/, /enterprises/, /members/. Thin: input serializers
check the shape, services do the work, output serializers shape the answer; querysets are the
selectors, scoped to the caller's tree exactly as in the admin."""

from members.api.registry import (
    FULL_ID_IN_URL,
    EnterpriseFilter,
    EnterpriseInput,
    EnterpriseOutput,
    EnterpriseUpdateInput,
    EnterpriseViewSet,
    IdLookupInput,
    LookupPermissions,
    MemberCreateInput,
    MemberFilter,
    MemberOutput,
    MemberUpdateInput,
    MemberViewSet,
    UnionFilter,
    UnionOutput,
    UnionViewSet,
)
from members.api.transfers import (
    TRANSFER_TO_ENTERPRISE_REASON,
    TRANSFER_TO_UNION_REASON,
    CityWideEnterpriseField,
    TransferDecisionInput,
    TransferInput,
    TransferOutput,
    TransferViewSet,
)

__all__ = [
    "FULL_ID_IN_URL",
    "TRANSFER_TO_ENTERPRISE_REASON",
    "TRANSFER_TO_UNION_REASON",
    "CityWideEnterpriseField",
    "EnterpriseFilter",
    "EnterpriseInput",
    "EnterpriseOutput",
    "EnterpriseUpdateInput",
    "EnterpriseViewSet",
    "IdLookupInput",
    "LookupPermissions",
    "MemberCreateInput",
    "MemberFilter",
    "MemberOutput",
    "MemberUpdateInput",
    "MemberViewSet",
    "TransferDecisionInput",
    "TransferInput",
    "TransferOutput",
    "TransferViewSet",
    "UnionFilter",
    "UnionOutput",
    "UnionViewSet",
]
