from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.history import AUDITED_MEMBER_EXCLUDED, AuditedHistory
from members.validators import validate_credit_code


class Union(TimeStampedModel):
    """A node of the union tree: the city federation, a district or county, a township or street,
    or a grassroots union (an enterprise's own, or a joint union 联合工会 of a township/industry)."""

    class Level(models.TextChoices):
        CITY = "city", _("市总工会")
        DISTRICT = "district", _("区县工会")
        TOWNSHIP = "township", _("乡镇(街道)工会")
        GRASSROOTS = "grassroots", _("基层工会")

    code = models.CharField(_("工会编码"), max_length=32, unique=True)
    name = models.CharField(_("工会名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级工会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_joint = models.BooleanField(
        _("联合工会"),
        default=False,
        help_text=_("乡镇或行业的联合工会，新就业形态劳动者多由此入会"),
    )
    # Materialised path of codes, "330500/330502/330502001/": a subtree is one indexed prefix match.
    path = models.CharField(_("路径"), max_length=255, editable=False)

    class Meta:
        verbose_name = _("工会组织")
        verbose_name_plural = _("工会组织")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="union_path_idx", opclasses=["varchar_pattern_ops"])
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="city", parent__isnull=True) | Q(parent__isnull=False),
                name="union_only_city_is_root",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: "Union") -> bool:
        """True if this union is `other` or below it."""
        return self.path.startswith(other.path)


class Enterprise(TimeStampedModel):
    class Industry(models.TextChoices):
        # GB/T 4754-2017 sections (门类)
        A = "A", _("农、林、牧、渔业")
        B = "B", _("采矿业")
        C = "C", _("制造业")
        D = "D", _("电力、热力、燃气及水生产和供应业")
        E = "E", _("建筑业")
        F = "F", _("批发和零售业")
        G = "G", _("交通运输、仓储和邮政业")
        H = "H", _("住宿和餐饮业")
        I = "I", _("信息传输、软件和信息技术服务业")  # noqa: E741
        J = "J", _("金融业")
        K = "K", _("房地产业")
        L = "L", _("租赁和商务服务业")
        M = "M", _("科学研究和技术服务业")
        N = "N", _("水利、环境和公共设施管理业")
        O = "O", _("居民服务、修理和其他服务业")  # noqa: E741
        P = "P", _("教育")
        Q = "Q", _("卫生和社会工作")
        R = "R", _("文化、体育和娱乐业")
        S = "S", _("公共管理、社会保障和社会组织")
        T = "T", _("国际组织")

    name = models.CharField(_("单位名称"), max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    industry = models.CharField(_("所属行业"), max_length=1, choices=Industry.choices, blank=True)
    above_designated_size = models.BooleanField(_("规上企业"), default=False)
    is_state_owned = models.BooleanField(_("国有企业"), default=False)
    reform_pilot_year = models.PositiveSmallIntegerField(
        _("产改试点年份"), null=True, blank=True, help_text=_("列为产业工人队伍建设改革试点的年份")
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="enterprises"
    )

    class Meta:
        verbose_name = _("企业单位")
        verbose_name_plural = _("企业单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Member(TimeStampedModel):
    """One membership: a person (by resident ID number) in one union from joining to leaving.
    A person who leaves and rejoins has two rows; only one may be active."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("在会")
        LEFT = "left", _("已离会")

    class EmploymentForm(models.TextChoices):
        STANDARD = "standard", _("标准")
        COURIER = "courier", _("快递员")
        FOOD_DELIVERY = "food_delivery", _("外卖骑手")
        RIDE_HAILING = "ride_hailing", _("网约车司机")
        TRUCK_DRIVER = "truck_driver", _("货车司机")
        ONLINE_HOST = "online_host", _("网络主播")
        DOMESTIC = "domestic", _("家政服务员")
        OTHER_NEW = "other_new", _("其他新就业形态")

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    name = models.CharField(_("姓名"), max_length=50)
    # AES-GCM ciphertext with its key id; never the plain number (see members/crypto.py).
    id_number_encrypted = models.TextField(_("公民身份号码（密文）"), editable=False)
    id_number_hash = models.CharField(_("公民身份号码摘要"), max_length=64, editable=False)
    id_number_masked = models.CharField(_("公民身份号码"), max_length=18, editable=False)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, editable=False)
    birth_date = models.DateField(_("出生日期"), editable=False)
    phone = models.CharField(_("手机号码"), max_length=11, blank=True)
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="members"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("工作单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    employment_form = models.CharField(
        _("就业形态"),
        max_length=16,
        choices=EmploymentForm.choices,
        default=EmploymentForm.STANDARD,
    )
    # The form of employment as it was when the person joined: 新增新业态劳动者会员 counts by it,
    # so a courier who later takes a standard job still counts in the year they joined, and a
    # worker who becomes a courier later does not. Set once, on insert (save(), member_create,
    # the roster import's bulk insert), never by an update of `employment_form`.
    employment_form_at_joining = models.CharField(
        _("入会时就业形态"),
        max_length=16,
        choices=EmploymentForm.choices,
        blank=True,
        editable=False,
    )
    joined_on = models.DateField(_("入会日期"))
    left_on = models.DateField(_("离会日期"), null=True, blank=True)
    status = models.CharField(
        _("会籍状态"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    # Set when the retention task (common/retention.py) de-identified the row: the name, phone and
    # ID number are gone; what the figures count (union, dates, gender, birth year, employment
    # form) stays, and a replacement token keeps one person's memberships one person.
    deidentified_on = models.DateField(_("去标识化日期"), null=True, blank=True, editable=False)

    # Who changed what; the ID ciphertext and hash are never copied (members/history.py).
    history = AuditedHistory(excluded_fields=AUDITED_MEMBER_EXCLUDED)

    class Meta:
        verbose_name = _("会员")
        verbose_name_plural = _("会员")
        ordering = ["-joined_on", "id"]
        permissions = [("reveal_id_number", _("可查看完整公民身份号码"))]
        indexes = [
            models.Index(fields=["id_number_hash"], name="member_id_hash_idx"),
            models.Index(fields=["union", "status"], name="member_union_status_idx"),
            models.Index(fields=["joined_on"], name="member_joined_idx"),
            # The admin list's order with the name beside it: a surname search (name LIKE '王%')
            # walks the list in order and checks the name in the index, reading only the rows
            # it shows (members/migrations/0009_member_list_search_indexes.py).
            models.Index(
                fields=["-joined_on", "id", "name"],
                name="member_list_order_idx",
                opclasses=["", "", "varchar_pattern_ops"],
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=Q(status="active"),
                name="member_one_active_membership_per_id",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="member_left_after_joined",
            ),
            models.CheckConstraint(
                condition=Q(status="active", left_on__isnull=True)
                | Q(status="left", left_on__isnull=False),
                name="member_left_on_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"

    def save(self, *args, **kwargs):
        if self._state.adding and not self.employment_form_at_joining:
            self.employment_form_at_joining = self.employment_form
        super().save(*args, **kwargs)

    @property
    def is_new_employment_form(self) -> bool:
        return self.employment_form != self.EmploymentForm.STANDARD


class EnterpriseYear(models.Model):
    """An enterprise's standing in one year, as the statistics of that year used it: whether it
    was above designated size (规上, the statistics bureau's list of that year) and whether it had
    set up a union (建会). Coverage rates of a year are taken over these rows, not over the
    enterprise's flags of today."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    above_designated_size = models.BooleanField(_("规上企业"), default=False)
    has_union = models.BooleanField(_("已建会"), default=False)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("企业年度信息")
        verbose_name_plural = _("企业年度信息")
        ordering = ["-year", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"], name="enterprise_year_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


class MemberTransfer(TimeStampedModel):
    """会员关系转接: the union left approves the move out, then the union joined accepts it."""

    class Status(models.TextChoices):
        PENDING_OUT = "pending_out", _("待转出工会审批")
        PENDING_IN = "pending_in", _("待转入工会接收")
        COMPLETED = "completed", _("已完成")
        REFUSED_OUT = "refused_out", _("转出工会不同意")
        REFUSED_IN = "refused_in", _("转入工会不接收")
        CANCELLED = "cancelled", _("已撤回")

    OPEN_STATES = (Status.PENDING_OUT, Status.PENDING_IN)

    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_union = models.ForeignKey(
        Union, verbose_name=_("转出工会"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_union = models.ForeignKey(
        Union, verbose_name=_("转入工会"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    from_enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("原工作单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("新工作单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING_OUT
    )
    note = models.CharField(_("申请说明"), max_length=500, blank=True)
    # None when the member asked themselves (the portal) or the system opened it.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"))
    out_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("转出审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    out_decided_at = models.DateTimeField(_("转出审批时间"), null=True, blank=True)
    in_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("转入审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    in_decided_at = models.DateTimeField(_("转入审批时间"), null=True, blank=True)
    refusal_reason = models.CharField(_("不同意理由"), max_length=500, blank=True)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("会员关系转接")
        verbose_name_plural = _("会员关系转接")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status__in=["pending_out", "pending_in"]),
                name="transfer_one_open_per_member",
            ),
            models.CheckConstraint(
                condition=~Q(from_union=models.F("to_union")), name="transfer_changes_union"
            ),
        ]

    def __str__(self) -> str:
        # Names no member: the union joined sees the transfer (list, breadcrumbs, messages,
        # history) before the union left has agreed to show who it is.
        return f"会员关系转接 #{self.pk} → {self.to_union}"


class StaffProfile(models.Model):
    """Which part of the tree a staff user keeps, and in which role."""

    class Role(models.TextChoices):
        CITY_ADMIN = "city_admin", _("市总管理员")
        DISTRICT_ADMIN = "district_admin", _("区县管理员")
        TOWNSHIP_ADMIN = "township_admin", _("乡镇(街道)管理员")
        GRASSROOTS_ADMIN = "grassroots_admin", _("基层工会管理员")
        LEADERSHIP = "leadership", _("领导（只读）")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="staff"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    # Where a forgotten password's reset code is sent (members.password_reset): the number on
    # file, never one typed at the reset page.
    phone = models.CharField(
        _("手机号码"), max_length=11, blank=True, help_text=_("忘记密码时，验证码发送到此号码")
    )

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return f"{self.user.get_username()}（{self.union}，{self.get_role_display()}）"


class IdNumberAccess(models.Model):
    """Every time a full ID number is shown or exported: who saw whose, when, and where."""

    class Channel(models.TextChoices):
        ADMIN = "admin", _("后台查看")
        API = "api", _("接口")
        EXPORT = "export", _("导出")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Emptied by the retention task once the entry is older than the log is kept (who looked,
    # when and how stay; whose number it was does not).
    member = models.ForeignKey(
        Member,
        verbose_name=_("会员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="id_accesses",
    )
    channel = models.CharField(_("途径"), max_length=8, choices=Channel.choices)
    accessed_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("身份证号查看记录")
        verbose_name_plural = _("身份证号查看记录")
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.member_id} ({self.channel})"


class AccessToken(models.Model):
    """An API bearer token for a staff user or (the member portal) a member person. Only the
    SHA-256 digest of the key is kept: the key is shown once, when it is issued, and a copy of the
    table gives nobody a way in. Every token expires, and can be revoked before then."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("工作人员")
        MEMBER = "member", _("会员")

    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    digest = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    # The first characters of the key, to tell tokens apart in a list; too short to guess with.
    prefix = models.CharField(_("令牌前缀"), max_length=8, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="access_tokens",
    )
    # A member is a person, not a membership row (rows end on a transfer): the keyed hash of the
    # ID number names the person without holding the number.
    member_id_hash = models.CharField(
        _("会员身份证号摘要"), max_length=64, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"), db_index=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="staff", user__isnull=False, member_id_hash__isnull=True)
                    | Q(kind="member", user__isnull=True, member_id_hash__isnull=False)
                ),
                name="accesstoken_exactly_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}…（{self.get_kind_display()}）"
