"""Models for 人大代表建议 and 政协提案 the union handles (主办 or 会办)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.history import AuditedHistory
from members.models import Union


class Proposal(TimeStampedModel):
    """A deputy's suggestion (人大代表建议) or a CPPCC member's proposal (政协提案) assigned to a
    union, as the lead handler (主办) or a co-handler (会办), to be answered by `due_on`."""

    class Source(models.TextChoices):
        NPC = "npc", _("人大代表建议")
        CPPCC = "cppcc", _("政协提案")

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        ASSIST = "assist", _("会办")

    class Result(models.TextChoices):
        # The grading every 办理答复 carries (A/B/C类).
        SOLVED = "solved", _("A类：已解决或采纳")
        PLANNED = "planned", _("B类：正在解决或列入计划")
        EXPLAINED = "explained", _("C类：因条件限制留作参考")

    union = models.ForeignKey(
        Union, verbose_name=_("承办工会"), on_delete=models.PROTECT, related_name="proposals"
    )
    source = models.CharField(_("类别"), max_length=8, choices=Source.choices)
    number = models.CharField(_("编号"), max_length=50, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    proposer = models.CharField(_("提出人"), max_length=100)
    role = models.CharField(_("承办方式"), max_length=8, choices=Role.choices)
    lead_unit = models.CharField(
        _("主办单位"), max_length=100, blank=True, help_text=_("会办时填写主办单位")
    )
    received_on = models.DateField(_("交办日期"))
    due_on = models.DateField(_("答复期限"))
    reply = models.TextField(_("答复内容"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    result = models.CharField(_("办理结果"), max_length=16, choices=Result.choices, blank=True)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("建议提案办理")
        verbose_name_plural = _("建议提案办理")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("received_on")),
                name="welfare_proposal_due_after_received",
            ),
            models.CheckConstraint(
                condition=Q(replied_on__isnull=True, result="")
                | Q(replied_on__isnull=False) & ~Q(result=""),
                name="welfare_proposal_reply_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.number} {self.title}".strip()

    @property
    def is_open(self) -> bool:
        return self.replied_on is None
