"""The one mechanism for references: what a user may name is `members.scoping.references`, and an
id outside their part of the tree is answered exactly like an id that does not exist."""

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from common.api import CityWideUnionField, ScopedPrimaryKeyRelatedField
from common.services import model_update
from members.actors import SYSTEM, MemberActor
from members.admin_mixins import scope_form_references
from members.models import Member, MemberTransfer, Union
from members.scoping import (
    NOT_IN_SCOPE,
    is_city_staff,
    reaching_q,
    references,
    require_in_scope,
    within_q,
)
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_within_q_keeps_the_union_and_everything_below_it(tree):
    codes = set(Union.objects.filter(within_q(tree.zhili, "")).values_list("code", flat=True))
    assert codes == {tree.zhili.code, tree.zhili_factory.code, tree.zhili_joint.code}


def test_reaching_q_adds_the_unions_above_but_not_beside(tree, staff):
    codes = set(
        Union.objects.filter(reaching_q(staff["township_admin"], "")).values_list("code", flat=True)
    )
    assert tree.city.code in codes and tree.wuxing.code in codes
    assert tree.balidian.code not in codes and tree.nanxun.code not in codes


def test_references_of_a_district_admin_stop_at_the_district(tree, staff):
    ours = MemberFactory(union=tree.zhili_factory)
    theirs = MemberFactory(union=tree.shuanglin_factory)
    names = set(references(Member, staff["district_admin"]))
    assert ours in names and theirs not in names


def test_references_for_the_system_are_everything(tree):
    theirs = MemberFactory(union=tree.shuanglin_factory)
    assert theirs in references(Member, SYSTEM)


def test_a_member_actor_names_nothing_through_staff_references(tree):
    member = MemberFactory(union=tree.zhili_factory)
    assert not references(Member, MemberActor(member)).exists()


def test_an_unregistered_model_cannot_be_named(tree, staff):
    with pytest.raises(ImproperlyConfigured):
        references(MemberTransfer, staff["city_admin"])


def test_require_in_scope_names_no_union(tree, staff):
    with pytest.raises(PermissionDenied) as refused:
        require_in_scope(staff["district_admin"], tree.shuanglin)
    assert tree.shuanglin.name not in str(refused.value)
    require_in_scope(SYSTEM, tree.shuanglin)


def test_only_city_admins_and_superusers_are_city_staff(tree, staff, django_user_model):
    assert is_city_staff(staff["city_admin"])
    assert not is_city_staff(staff["leadership"])
    assert not is_city_staff(staff["district_admin"])
    assert is_city_staff(django_user_model.objects.create_superuser("root", password="x"))
    assert not is_city_staff(SYSTEM)


class _MemberInput(serializers.Serializer):
    member = ScopedPrimaryKeyRelatedField(model=Member)
    to_union = CityWideUnionField(reason="test")


def _validate(user, data):
    request = APIRequestFactory().post("/")
    request.user = user
    serializer = _MemberInput(data=data, context={"request": request})
    serializer.is_valid()
    return serializer


def test_an_out_of_scope_id_is_answered_like_a_missing_one(tree, staff):
    theirs = MemberFactory(union=tree.shuanglin_factory)
    out_of_scope = _validate(staff["district_admin"], {"member": theirs.pk, "to_union": "330503"})
    missing = _validate(staff["district_admin"], {"member": 99999999, "to_union": "330503"})
    assert out_of_scope.errors == missing.errors == {"member": [str(NOT_IN_SCOPE)]}
    assert theirs.name not in str(out_of_scope.errors)


def test_an_in_scope_id_and_a_city_wide_union_resolve(tree, staff):
    ours = MemberFactory(union=tree.zhili_factory)
    serializer = _validate(staff["district_admin"], {"member": ours.pk, "to_union": "330503"})
    assert serializer.errors == {}
    assert serializer.validated_data == {"member": ours, "to_union": tree.nanxun}


class _TransferForm(forms.ModelForm):
    class Meta:
        model = MemberTransfer
        fields = ["member", "to_union"]


def test_a_form_offers_and_accepts_only_references(tree, staff):
    ours = MemberFactory(union=tree.zhili_factory)
    theirs = MemberFactory(union=tree.shuanglin_factory)
    form = _TransferForm(data={"member": theirs.pk, "to_union": tree.shuanglin_factory.pk})
    scope_form_references(form, staff["district_admin"], city_wide_fields={"to_union"})
    assert list(form.fields["member"].queryset) == [ours]
    assert not form.is_valid()
    assert form.errors["member"] == [str(NOT_IN_SCOPE)]
    assert "to_union" not in form.errors
    assert theirs.name not in str(form["member"])


def test_model_update_saves_only_the_changed_listed_fields(tree):
    member = MemberFactory(union=tree.zhili_factory, phone="13800000000")
    before = member.updated_at
    member, changed = model_update(
        instance=member, fields=["phone", "name"], data={"phone": "13900000000"}
    )
    member.refresh_from_db()
    assert changed and member.phone == "13900000000" and member.updated_at > before


def test_model_update_with_nothing_different_writes_nothing(tree):
    member = MemberFactory(union=tree.zhili_factory, phone="13800000000")
    before = member.updated_at
    member, changed = model_update(instance=member, fields=["phone"], data={"phone": "13800000000"})
    member.refresh_from_db()
    assert not changed and member.updated_at == before


def test_model_update_refuses_a_field_that_is_not_editable(tree):
    member = MemberFactory(union=tree.zhili_factory)
    with pytest.raises(ValueError, match="union"):
        model_update(instance=member, fields=["phone"], data={"union": tree.nanxun})
