"""The authentication backend that signs staff in: Django's ModelBackend, whose user comes with
the staff profile and its union (the top of the user's part of the tree) in the same query.

Every signed-in request asks for the user's scope (members.scoping.viewer_union) before anything
else: loaded lazily that is two more queries per request (the profile, then its union), which on
a cached dashboard read were a sixth of the request's statements (bench/city.py, issue 13)."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User


class ScopedModelBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            # The reverse one-to-one joined: a user without a profile still comes back, and
            # reading its `staff_profile` raises DoesNotExist as it would unjoined.
            user = User._default_manager.select_related("staff_profile__union").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
