"""Records with known counts under the shared tree, and the figures the roll-ups run on.

The 2024 register, by hand: 织里童装厂 3 standard members + 织里联合工会 2 couriers who joined in
2024 (吴兴/织里: 5), 双林纺织厂 4 standard + 1 courier who joined in 2023 (南浔/双林: 5), one member
of 八里店电机厂 who left in 2023 and one of 织里童装厂 who joined in 2025 (neither counts).
Reform pilots: 八里店电机厂 (2024) counts for 2024; 双林纺织厂 (2025) does not."""

import datetime as dt
from dataclasses import dataclass

import pytest

import members.selectors  # noqa: F401  (registers the members figures)
from common.figures import REGISTRY, Figure
from dashboard.models import Indicator, IndicatorTarget
from dashboard.registry import sync
from members.models import Member
from tests.dashboard.factories import member
from tests.factories import EnterpriseFactory

MEMBER_KEYS = ("registered_members", "new_gig_worker_members", "soe_reform_pilots")

# (indicator key, union attribute on the Tree fixture) → the 2024 figure counted by hand.
EXPECTED_2024 = {
    ("registered_members", "city"): 10,
    ("registered_members", "wuxing"): 5,
    ("registered_members", "zhili"): 5,
    ("registered_members", "balidian"): 0,
    ("registered_members", "nanxun"): 5,
    ("registered_members", "shuanglin"): 5,
    ("new_gig_worker_members", "city"): 2,
    ("new_gig_worker_members", "wuxing"): 2,
    ("new_gig_worker_members", "zhili"): 2,
    ("new_gig_worker_members", "balidian"): 0,
    ("new_gig_worker_members", "nanxun"): 0,
    ("new_gig_worker_members", "shuanglin"): 0,
    ("soe_reform_pilots", "city"): 1,
    ("soe_reform_pilots", "wuxing"): 1,
    ("soe_reform_pilots", "zhili"): 0,
    ("soe_reform_pilots", "balidian"): 1,
    ("soe_reform_pilots", "nanxun"): 0,
    ("soe_reform_pilots", "shuanglin"): 0,
}


@pytest.fixture(autouse=True)
def registry(db):
    """The indicator registry as the data migration loads it. Loaded again here because a
    transactional test elsewhere in the session flushes the migration's rows."""
    sync(Indicator, IndicatorTarget)


@pytest.fixture
def member_figures() -> dict[str, Figure]:
    return {key: REGISTRY[key] for key in MEMBER_KEYS}


@dataclass
class Records:
    zhili_members: list[Member]
    shuanglin_members: list[Member]


@pytest.fixture
def records(tree) -> Records:
    courier = Member.EmploymentForm.COURIER
    zhili_ent = EnterpriseFactory(union=tree.zhili_factory)
    EnterpriseFactory(union=tree.balidian_factory, is_state_owned=True, reform_pilot_year=2024)
    shuanglin_ent = EnterpriseFactory(
        union=tree.shuanglin_factory, is_state_owned=True, reform_pilot_year=2025
    )
    # Numbered from the dashboard tests' own sequence (see tests/dashboard/factories.member).
    zhili = [member(union=tree.zhili_factory, enterprise=zhili_ent) for _ in range(3)]
    zhili += [
        member(union=tree.zhili_joint, employment_form=courier, joined_on=dt.date(2024, 3, 1))
        for _ in range(2)
    ]
    shuanglin = [
        member(
            union=tree.shuanglin_factory, enterprise=shuanglin_ent, joined_on=dt.date(2019, 5, 1)
        )
        for _ in range(4)
    ]
    shuanglin.append(
        member(union=tree.shuanglin_factory, employment_form=courier, joined_on=dt.date(2023, 7, 1))
    )
    member(
        union=tree.balidian_factory,
        status=Member.Status.LEFT,
        joined_on=dt.date(2020, 1, 1),
        left_on=dt.date(2023, 6, 30),
    )
    member(union=tree.zhili_factory, joined_on=dt.date(2025, 1, 5))
    return Records(zhili_members=zhili, shuanglin_members=shuanglin)
