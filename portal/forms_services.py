"""Forms of the member services pages (claims from the phone, bank card, recuperation, stations)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Union
from welfare.models import Claim

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
