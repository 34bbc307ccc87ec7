"""Data-driven leak checks (issue 10 point 8): a row of every admin- and API-registered business
model in 吴兴 (own) and in 南浔 (other), then, for every role of the `staff` fixture, every API
list and detail and every admin changelist, change, history and delete page is asked for the
other district's row. A list never includes it; a detail answers 404; an admin page sends the
user to the admin index; a changelist never lists it.

Rows come from one builder (tests.factories.make_row) so a newly registered model is covered
the day it lands; a model the builder cannot fill fails `test_every_scoped_model_has_rows`."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from rest_framework.test import APIClient

from members.models import MemberTransfer, StaffProfile, Union
from tests.factories import EnterpriseFactory, MemberFactory, UnionFactory, make_row, make_staff
from tests.security.test_permission_matrix import ADMIN_MODELS, API_VIEWSETS

# Models whose rows reach a union (subtree, reaching, both sides): the leak checks cover them.
SCOPED_KINDS = {"subtree", "reaching", "both-sides"}
SCOPED_MODELS = sorted(label for label, (kind, _) in ADMIN_MODELS.items() if kind in SCOPED_KINDS)

# Which district each role's own union lies in; city-level roles see both, so they have no
# "other district" to probe (their reach is proved by the staff-side tests of each app).
OTHER_DISTRICT = {
    "district_admin": "nanxun",
    "township_admin": "nanxun",
    "grassroots_admin": "nanxun",
    "nanxun_admin": "wuxing",
}


# Fields the builder cannot guess (a check constraint names which must be set).
GIVEN: dict[str, dict] = {
    "skills.Honour": {"member": lambda member, enterprise, union: member, "collective_name": ""},
    "welfare.HardshipCase": {"assessed_on": dt.date(2024, 6, 1)},
    "welfare.Proposal": {"result": ""},
    "welfare.WageContract": {"enterprise": lambda member, enterprise, union: enterprise},
}
FAILED_TO_BUILD: dict[str, str] = {}


@dataclass
class Place:
    union: Union
    rows: dict  # model label → row


def _build_district(grassroots: Union, tag: str) -> Place:
    member = MemberFactory(union=grassroots)
    enterprise = EnterpriseFactory(union=grassroots)
    child = UnionFactory(code=f"{grassroots.code}X{tag}", parent=grassroots)
    made: dict = {}
    rows: dict = {}
    for label in SCOPED_MODELS:
        model = apps.get_model(label)
        concrete = model._meta.concrete_model
        if label == "members.Union":
            rows[label] = child
        elif label == "members.Member":
            rows[label] = member
        elif label == "members.Enterprise":
            rows[label] = enterprise
        elif label == "members.StaffProfile":
            rows[label] = StaffProfile.objects.get(
                user=make_staff(grassroots, StaffProfile.Role.GRASSROOTS_ADMIN, f"row-{tag}")
            )
        elif label == "members.MemberTransfer":
            rows[label] = make_row(
                MemberTransfer,
                in_union=grassroots,
                by_member=member,
                of_enterprise=enterprise,
                made=made,
                from_union=grassroots,
                to_union=child,
            )
        elif concrete in made:
            rows[label] = made[concrete]
        else:
            given = {
                name: value(member, enterprise, grassroots) if callable(value) else value
                for name, value in GIVEN.get(label, {}).items()
            }
            try:
                with transaction.atomic():
                    made[concrete] = make_row(
                        concrete,
                        in_union=grassroots,
                        by_member=member,
                        of_enterprise=enterprise,
                        made=made,
                        **given,
                    )
            except Exception as exc:  # reported together by test_every_scoped_model_has_rows
                FAILED_TO_BUILD[label] = f"{type(exc).__name__}: {str(exc)[:200]}"
                continue
            rows[label] = made[concrete]
    return Place(union=grassroots, rows=rows)


@pytest.fixture
def districts(tree, staff):
    return {
        "wuxing": _build_district(tree.zhili_factory, "W"),
        "nanxun": _build_district(tree.shuanglin_factory, "N"),
    }


def test_every_scoped_model_has_rows(districts):
    assert not FAILED_TO_BUILD, "\n".join(f"{k}: {v}" for k, v in FAILED_TO_BUILD.items())
    for place in districts.values():
        assert set(place.rows) == set(SCOPED_MODELS)


def _api_routes():
    """(basename, model label) of every API viewset over a scoped model."""
    return [(b, label) for b, (label, _) in API_VIEWSETS.items() if label in SCOPED_MODELS]


def _ids(payload) -> set:
    results = payload.get("results", payload) if isinstance(payload, dict) else payload
    return {item.get("id") for item in results if isinstance(item, dict)}


@pytest.mark.parametrize("role", sorted(OTHER_DISTRICT))
def test_no_role_sees_another_districts_rows(role, staff, districts):
    other = districts[OTHER_DISTRICT[role]]
    user = staff[role]
    leaks = []
    probed = {"api list": 0, "api detail": 0, "admin changelist": 0, "admin page": 0}

    api = APIClient()
    api.force_authenticate(user)
    for basename, label in _api_routes():
        row = other.rows[label]
        try:
            list_url = reverse(f"{basename}-list")
        except NoReverseMatch:
            list_url = None
        if list_url:
            answer = api.get(list_url, {"page_size": 500})
            probed["api list"] += answer.status_code == 200
            if answer.status_code == 200 and row.pk in _ids(answer.json()):
                leaks.append(f"API list {list_url} lists {label} {row.pk}")
        try:
            detail_url = reverse(f"{basename}-detail", args=[row.pk])
        except NoReverseMatch:
            continue
        answer = api.get(detail_url)
        probed["api detail"] += answer.status_code == 404
        if answer.status_code not in (403, 404):
            leaks.append(f"API detail {detail_url} → {answer.status_code}")

    web = Client()
    web.force_login(user)
    index = reverse("admin:index")
    for label in SCOPED_MODELS:
        model = apps.get_model(label)
        if model not in admin.site._registry:
            continue
        opts, row = model._meta, other.rows[label]
        changelist = web.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if changelist.status_code == 200:
            probed["admin changelist"] += 1
            listed = changelist.context["cl"].queryset.filter(pk=row.pk).exists()
            if listed:
                leaks.append(f"admin changelist {label} lists {row.pk}")
        for view in ("change", "history", "delete"):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[row.pk])
            answer = web.get(url)
            if answer.status_code == 403:
                continue  # no permission on the model at all: nothing shown
            probed["admin page"] += 1
            if answer.status_code != 302 or answer["Location"] != index:
                leaks.append(f"admin {view} {url} → {answer.status_code} {answer.get('Location')}")
    assert not leaks, "\n".join(leaks)
    # Not vacuous: the role really reached most routes (a 403 everywhere would prove nothing).
    assert probed["api list"] >= 30 and probed["api detail"] >= 30, probed
    assert probed["admin changelist"] >= 40 and probed["admin page"] >= 80, probed
