import django_filters

from members.models import Union
from members.scoping import within_q


class UnionSubtreeFilter(django_filters.CharFilter):
    """`?union=CODE`: rows of that union and of every union below it (an unknown code matches
    nothing). `union_field` is the lookup path from the model to its Union ("" for Union itself)."""

    def __init__(self, *, union_field: str = "union", **kwargs):
        kwargs.setdefault("label", "所属工会（含下级）编码")
        super().__init__(**kwargs)
        self.union_field = union_field

    def filter(self, qs, value):
        if not value:
            return qs
        top = Union.objects.filter(code=value.strip()).first()
        if top is None:
            return qs.none()
        return qs.filter(within_q(top, self.union_field))
