from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Member, Union

PHONE_ATTRS = {"inputmode": "numeric", "autocomplete": "tel", "maxlength": "11"}
CODE_ATTRS = {"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "6"}


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("手机号码"), max_length=14, widget=forms.TextInput(PHONE_ATTRS))


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("短信验证码"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("请输入短信中的6位数字验证码。")},
        widget=forms.TextInput(CODE_ATTRS),
    )


class BindForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_last6 = forms.RegexField(
        label=_("身份证号码后6位"),
        regex=r"^\d{5}[\dXx]$",
        error_messages={"invalid": _("请输入身份证号码的最后6位（末位可能是X）。")},
        widget=forms.TextInput({"maxlength": "6", "autocomplete": "off"}),
    )


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("我已阅读并同意以上《入会个人信息处理告知书》，同意工会收集和使用我的身份证号码"),
        error_messages={"required": _("需要您的同意才能在线入会；也可以到工会现场办理。")},
    )


class JoinForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号码"), max_length=18, widget=forms.TextInput({"autocomplete": "off"})
    )
    employment_form = forms.ChoiceField(label=_("就业形态"), choices=Member.EmploymentForm.choices)
    township = forms.ModelChoiceField(
        label=_("工作所在乡镇(街道)"),
        # Union names are not personal data: every township may be chosen (city_wide).
        queryset=Union.objects.filter(level=Union.Level.TOWNSHIP).order_by("path"),
        empty_label=_("请选择"),
    )
    employer = forms.CharField(label=_("工作单位（可不填）"), max_length=200, required=False)


class ConcernForm(forms.Form):
    subject = forms.CharField(label=_("主题"), max_length=200)
    body = forms.CharField(label=_("想说的话"), widget=forms.Textarea({"rows": 5}))
