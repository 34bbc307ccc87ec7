from members.admin._common import (
    GoLiveImportMixin,
)
from members.admin.registry import (
    EnterpriseAdmin,
    EnterpriseForm,
    IdLookupForm,
    MemberAddForm,
    MemberAdmin,
    MemberChangeForm,
    UnionAdmin,
    UnionForm,
)
from members.admin.staff import (
    IdNumberAccessAdmin,
    StaffProfileAdmin,
)
from members.admin.transfers import (
    MemberTransferAdmin,
    TransferDecisionForm,
    TransferRequestForm,
)

__all__ = [
    "EnterpriseAdmin",
    "EnterpriseForm",
    "GoLiveImportMixin",
    "IdLookupForm",
    "IdNumberAccessAdmin",
    "MemberAddForm",
    "MemberAdmin",
    "MemberChangeForm",
    "MemberTransferAdmin",
    "StaffProfileAdmin",
    "TransferDecisionForm",
    "TransferRequestForm",
    "UnionAdmin",
    "UnionForm",
]
