"""What the member API's service routes share: the answer for a record that is not the member's
own."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse

NOT_FOUND = OpenApiResponse(description=_("没有找到（或不是您本人的记录）"))
