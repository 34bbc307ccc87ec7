"""A member signs themselves up for a 湖工助业 job fair (招聘会网上报名) from the portal or the
member API. Staff see the sign-ups on the fair in the admin; they do not write them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.actors import MemberActor
from members.models import Member
from members.scoping import NOT_IN_SCOPE
from welfare.models import JobFair, JobFairSignUp
from welfare.selectors.job_fair_sign_ups import member_job_fairs_reachable


@transaction.atomic
def job_fair_sign_up(*, fair: JobFair, by: MemberActor) -> JobFairSignUp:
    """Sign the member up for a fair in their district or city-wide that is not over and whose
    organiser takes sign-ups, once, while places last (a fair without a `capacity` has no limit).

    The fair's row is locked before anything is counted, so sign-ups to one fair are served one
    after the other: two members taking the last place get one place between them, and a double
    tap finds its own first row and is told so (not a unique-constraint error)."""
    if not isinstance(by, MemberActor):
        raise PermissionDenied(str(NOT_IN_SCOPE))
    member = by.member
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("您当前不在会，不能在线报名招聘会。"))
    if not member_job_fairs_reachable(member=member).filter(pk=fair.pk).exists():
        raise ValidationError(_("该招聘会不在您可报名的范围内。"))
    fair = JobFair.objects.select_for_update().get(pk=fair.pk)
    names = {"f": fair.title, "d": fair.held_on.isoformat(), "c": fair.capacity or 0}
    if fair.held_on < timezone.localdate():
        raise ValidationError(_("“%(f)s”已于%(d)s举办，不能再报名。") % names)
    if not fair.sign_up_open:
        raise ValidationError(_("“%(f)s”不接受网上报名，请在举办当天直接到现场参加。") % names)
    if fair.sign_ups.filter(member__id_number_hash=member.id_number_hash).exists():
        raise ValidationError(_("您已报名“%(f)s”，无需重复报名。") % names)
    if fair.capacity is not None and fair.sign_ups.count() >= fair.capacity:
        raise ValidationError(_("“%(f)s”报名名额（%(c)d人）已满。") % names)
    sign_up = JobFairSignUp(fair=fair, member=member, union=member.union)
    sign_up.full_clean()
    sign_up.save()
    return sign_up
