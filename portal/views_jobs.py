"""湖工助业 on the phone: the job fairs and free training courses in the member's district or
city-wide, signing up for either with one tap, and the member's own sign-ups. Thin callers of
welfare's member-facing services; only a fair or course offered to this member can be named."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from portal.auth import member_required
from portal.views_services import _sign_up_to_offered
from welfare import selectors as welfare_selectors
from welfare import services as welfare_services


@never_cache
@member_required
def jobs(request):
    member = request.member
    today = timezone.localdate()
    courses = welfare_selectors.member_training_courses_open(member=member, on=today)
    if request.method == "POST" and "fair" in request.POST:
        return _sign_up_to_offered(
            request,
            offered=welfare_selectors.member_job_fairs_open(member=member, on=today),
            field="fair",
            sign_up=lambda f, by: welfare_services.job_fair_sign_up(fair=f, by=by),
            done=_("已报名“%(x)s”，请按时到场。"),
            back="portal:jobs",
        )
    if request.method == "POST":
        return _sign_up_to_offered(
            request,
            offered=courses,
            field="course",
            sign_up=lambda c, by: welfare_services.training_sign_up(course=c, by=by),
            done=_("已报名“%(x)s”，开班前工会会通知您。"),
            back="portal:jobs",
        )
    mine = welfare_selectors.member_training_sign_ups(member=member)
    taken = set(mine.values_list("course_id", flat=True))
    my_fairs = welfare_selectors.member_job_fair_sign_ups(member=member)
    fairs_taken = set(my_fairs.values_list("fair_id", flat=True))
    fairs = welfare_selectors.with_sign_up_counts(
        welfare_selectors.member_job_fairs_upcoming(member=member, on=today)
    )[:30]
    return render(
        request,
        "portal/services/jobs.html",
        {
            "fairs": [_fair_row(f, signed_up=f.pk in fairs_taken) for f in fairs],
            "courses": [{"course": c, "signed_up": c.pk in taken} for c in courses[:30]],
            "mine": mine[:30],
            "my_fairs": my_fairs.filter(fair__held_on__gte=today)[:30],
        },
    )


def _fair_row(fair, *, signed_up: bool) -> dict:
    left = None if fair.capacity is None else max(fair.capacity - fair.taken, 0)
    return {
        "fair": fair,
        "signed_up": signed_up,
        "left": left,
        "can_sign_up": fair.sign_up_open and not signed_up and left != 0,
    }
