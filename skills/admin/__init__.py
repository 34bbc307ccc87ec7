"""The skills records in the admin, in Chinese, scoped to the staff user's part of the tree, one
module per line of work. Every form saves through the entity's own services
(skills/services/), so the admin enforces the same rules as the API and the importers; every
reference a form offers is narrowed to what the user may name (members.admin_mixins)."""

from skills.admin import (  # noqa: F401 - importing registers each ModelAdmin
    competitions,
    honours,
    innovation,
    selections,
    studios,
    talents,
    visits,
)
