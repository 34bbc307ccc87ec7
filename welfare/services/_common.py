"""What every welfare line of work shares: the zero of money and who a staff service accepts.
The write and reference checks are members.scoping's `require_staff_write` / `require_named`."""

from django.contrib.auth.models import User

from members.actors import SystemActor
from members.scoping import require_named, require_staff_write
from welfare import rules

ZERO = rules.ZERO

# Who a staff service accepts: a staff user, or the system (a command, a task, the seeder).
StaffActor = User | SystemActor

__all__ = ["ZERO", "StaffActor", "require_named", "require_staff_write"]
