"""Forms of the member services pages (claims from the phone, bank card, recuperation, stations)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members import selectors as members_selectors
from members.models import Union
from welfare.models import Claim, HardshipCase

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"inputmode": "decimal", "step": "0.01", "min": "0"}
CARD_ATTRS = {"inputmode": "numeric", "autocomplete": "off", "maxlength": "23"}


class MedicalConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("我已阅读并同意以上告知，同意工会收集和使用我的医疗票据等健康信息办理互助"),
        error_messages={
            "required": _("需要您的单独同意才能在线提交医疗票据；也可以到工会现场办理。")
        },
    )


class BankCardForm(forms.Form):
    bank_name = forms.CharField(
        label=_("开户行"),
        max_length=100,
        help_text=_("如：中国工商银行湖州分行"),
    )
    card_number = forms.CharField(
        label=_("银行卡号（须为本人名下的卡）"), max_length=23, widget=forms.TextInput(CARD_ATTRS)
    )


class ClaimForm(forms.Form):
    line = forms.TypedChoiceField(label=_("互助项目"), coerce=int)
    category = forms.ChoiceField(label=_("就诊类别"), choices=Claim.Category.choices)
    hospital = forms.CharField(label=_("医院"), max_length=100)
    admitted_on = forms.DateField(label=_("入院日期"), widget=DATE)
    discharged_on = forms.DateField(label=_("出院日期"), widget=DATE)
    total_expenses = forms.DecimalField(
        label=_("医疗总费用（元）"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(MONEY),
    )
    eligible_expenses = forms.DecimalField(
        label=_("政策范围内自付费用（元）"),
        help_text=_("见医保结算单"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(MONEY),
    )
    diagnosis = forms.CharField(label=_("诊断（可不填）"), max_length=200, required=False)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [(line.pk, str(line)) for line in lines]


class DistrictForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("区县"),
        # Union names are not personal data: every district may be chosen.
        queryset=Union.objects.filter(level=Union.Level.DISTRICT).order_by("code"),
        required=False,
        empty_label=_("全市"),
    )


class HardshipForm(forms.Form):
    category = forms.ChoiceField(label=_("困难类别"), choices=HardshipCase.Category.choices)
    application = forms.CharField(
        label=_("家庭困难情况"),
        help_text=_("写明家庭人口、收入、支出和遇到的困难，工会会上门或电话核实。"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class TransferForm(forms.Form):
    """The receiving union, chosen city-wide: by its code, or from a township's list (union
    names are not personal data)."""

    code = forms.CharField(
        label=_("转入工会代码"),
        max_length=32,
        required=False,
        help_text=_("向新单位工会询问；不知道代码可先选择乡镇/街道，再选工会。"),
    )
    union = forms.TypedChoiceField(label=_("转入工会"), coerce=int, required=False)
    note = forms.CharField(
        label=_("转接原因（可不填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, unions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].choices = [("", _("请选择"))] + [(u.pk, u.name) for u in unions]

    def clean(self):
        data = super().clean()
        grassroots = members_selectors.transfer_receiving_unions()
        code = (data.get("code") or "").strip()
        if code:
            found = grassroots.filter(code=code).first()
        elif data.get("union"):
            found = grassroots.filter(pk=data["union"]).first()
        else:
            raise forms.ValidationError(_("请填写转入工会代码，或选择转入的工会。"))
        if found is None:
            raise forms.ValidationError(_("未找到该基层工会，请核对工会代码后重试。"))
        data["to_union"] = found
        return data


class TownshipForm(forms.Form):
    township = forms.ModelChoiceField(
        label=_("乡镇/街道"),
        queryset=members_selectors.transfer_townships(),
        required=False,
        empty_label=_("请选择"),
    )


class LegalQuestionForm(forms.Form):
    topic = forms.CharField(label=_("事由"), max_length=200, help_text=_("如：拖欠工资、工伤认定"))
    question = forms.CharField(
        label=_("具体情况"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请写明时间、单位和经过，不要填写他人的身份证号等个人信息。"),
    )


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("题目"), max_length=200)
    content = forms.CharField(
        label=_("内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("现在存在什么问题、怎样改进、能带来什么效果。"),
    )
    photo = forms.FileField(
        label=_("照片（可选，一张）"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_("可以拍下现场或设备。支持 JPG、PNG 照片，不超过 10 MB。"),
    )
