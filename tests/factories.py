"""factory_boy factories for the registry. Other apps' factories build on these."""

import datetime as dt
import itertools

import factory
from django.contrib.auth.models import User

from members import crypto
from members.models import Enterprise, Member, StaffProfile, Union
from members.roles import ensure_role_groups
from members.validators import credit_check_char, id_check_char, mask_id_number

_id_seq = itertools.count(1)
_credit_seq = itertools.count(1)


def make_id_number(
    birth: dt.date = dt.date(1990, 5, 17), male: bool = True, region: str = "330502"
) -> str:
    """A valid ID number, unique in the test session, with exactly the birth date and gender asked
    for: the 3-digit sequence counts up, and every 500 numbers the county code moves on."""
    n = next(_id_seq)
    block, step = divmod(n, 500)
    seq = step * 2 + (1 if male else 0)
    county = f"{region[:2]}{(int(region[2:]) + block) % 10000:04d}"
    first17 = f"{county}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def make_credit_code(region: str = "330502") -> str:
    first17 = f"91{region}{next(_credit_seq):09d}"
    return first17 + credit_check_char(first17)


class UnionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Union

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.LazyAttribute(lambda o: f"测试工会{o.code}")
    parent = None
    # Only the city may be a root (union_only_city_is_root): a union built without a parent is one.
    level = factory.LazyAttribute(
        lambda o: Union.Level.GRASSROOTS if o.parent else Union.Level.CITY
    )
    is_joint = False
    path = factory.LazyAttribute(lambda o: f"{o.parent.path if o.parent else ''}{o.code}/")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"湖州测试企业{n}有限公司")
    credit_code = factory.LazyFunction(make_credit_code)
    industry = "C"
    above_designated_size = False
    union = factory.SubFactory(UnionFactory)


class MemberFactory(factory.django.DjangoModelFactory):
    """A member built as the service would: encrypted number, hash, mask, derived gender/birth."""

    class Meta:
        model = Member
        exclude = ["id_number"]

    id_number = factory.LazyFunction(make_id_number)
    name = factory.Sequence(lambda n: f"会员{n}")
    id_number_encrypted = factory.LazyAttribute(lambda o: crypto.encrypt_id_number(o.id_number))
    id_number_hash = factory.LazyAttribute(lambda o: crypto.hash_id_number(o.id_number))
    id_number_masked = factory.LazyAttribute(lambda o: mask_id_number(o.id_number))
    gender = factory.LazyAttribute(lambda o: "M" if int(o.id_number[16]) % 2 else "F")
    birth_date = factory.LazyAttribute(
        lambda o: dt.date(int(o.id_number[6:10]), int(o.id_number[10:12]), int(o.id_number[12:14]))
    )
    phone = "13800000000"
    union = factory.SubFactory(UnionFactory)
    enterprise = None
    employment_form = Member.EmploymentForm.STANDARD
    joined_on = dt.date(2020, 1, 1)
    status = Member.Status.ACTIVE


def make_staff(
    union: Union, role: str = StaffProfile.Role.DISTRICT_ADMIN, username: str | None = None
) -> User:
    """A staff user attached to `union` with `role`, with the role's group permissions."""
    groups = ensure_role_groups()
    user = User.objects.create_user(
        username=username or f"staff{User.objects.count() + 1}",
        password="pw-12345678",
        is_staff=True,
    )
    StaffProfile.objects.create(user=user, union=union, role=role)
    user.groups.set([groups[role]])
    return User.objects.get(pk=user.pk)  # fresh instance: no cached permissions


def make_row(
    model, *, in_union: Union, by_member: Member, of_enterprise: Enterprise, made=None, **given
):
    """One valid-enough row of any model, every required field filled, placed in `in_union`'s part
    of the tree: a union reference is `in_union`, a member `by_member`, an enterprise
    `of_enterprise`, any
    other reference a row made the same way (cached in `made`, by model). For the permission
    matrix's leak checks, which need a row of every registered model in two districts."""
    import decimal

    from django.db import models as m
    from django.utils import timezone

    made = {} if made is None else made
    values = dict(given)
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in values or field.has_default() or field.null:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.is_relation:
            target = field.related_model
            if target is Union:
                values[field.name] = in_union
            elif target is Member:
                values[field.name] = by_member
            elif target is Enterprise:
                values[field.name] = of_enterprise
            elif target is User:
                values[field.name] = User.objects.filter(is_superuser=False).first()
            else:
                if target not in made:
                    made[target] = make_row(
                        target,
                        in_union=in_union,
                        by_member=by_member,
                        of_enterprise=of_enterprise,
                        made=made,
                    )
                values[field.name] = made[target]
        elif field.choices:
            values[field.name] = field.choices[0][0]
        elif isinstance(field, m.DateTimeField):
            values[field.name] = timezone.now()
        elif isinstance(field, m.DateField):
            values[field.name] = dt.date(2024, 6, 1)
        elif isinstance(field, m.DecimalField):
            values[field.name] = decimal.Decimal("1")
        elif isinstance(field, m.IntegerField | m.FloatField):
            values[field.name] = 1
        elif isinstance(field, m.BooleanField):
            values[field.name] = False
        elif isinstance(field, m.JSONField):
            values[field.name] = {}
        elif isinstance(field, m.FileField):
            values[field.name] = "test/row.txt"
        elif isinstance(field, m.CharField | m.TextField):
            text = f"{model._meta.model_name}{model._default_manager.count() + 1}"
            values[field.name] = text[-field.max_length :] if field.max_length else text
        else:
            raise TypeError(f"make_row: fill {model._meta.label}.{field.name} by hand")
    return model._default_manager.create(**values)
