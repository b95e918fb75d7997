"""Forms of the sign-up (实名注册), sign-in, password and mobile pages. They parse and explain; the
rules of an account live in `accounts.services`, and signing in is
`accounts.backends.IdentityBackend`'s job.

Pages that text a code have one form with two submit buttons: "获取验证码" (`send_code`) checks
only the fields the code needs (`send_fields`) and sends it; the main button checks everything.
"""

import re
import unicodedata
from typing import Any, ClassVar

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from django_stubs_ext import StrOrPromise
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError

from accounts.models import User
from accounts.services import compact_number, normalise_citizen_id, normalise_mobile

# Han characters (basic block, extensions A to H, compatibility ideographs, 〇), in runs joined by
# single interpunct dots as in 买买提·艾力.
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
NAME_RE = re.compile(rf"^[{_HAN}]+(?:·[{_HAN}]+)*$")
# Dots people type for "·" (U+00B7): bullet, katakana middle dot (NFKC folds the half-width one),
# hyphenation point, dot operators, full stop.
_NAME_DOTS = str.maketrans(dict.fromkeys("•・‧∙⋅.", "·"))


CODE_RE = re.compile(r"^\d{6}$")


class CodeForm(forms.Form):
    """A form with an SMS code field and a "获取验证码" button (see the module docstring)."""

    send_fields: ClassVar[tuple[str, ...]] = ()

    sms_code = forms.CharField(
        label=gettext_lazy("短信验证码"),
        max_length=20,
        help_text=gettext_lazy("6位数字。先点击“获取验证码”，再输入短信中的验证码。"),
        error_messages={
            "required": gettext_lazy("请输入短信验证码。"),
            "max_length": gettext_lazy("验证码应为6位数字。"),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, sending: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sending = sending
        self._relaxed: list[str] = []
        if sending:  # only what the code needs is required now
            for name, field in self.fields.items():
                if name not in self.send_fields and field.required:
                    field.required = False
                    self._relaxed.append(name)

    def full_clean(self) -> None:
        super().full_clean()
        # The page shown next still marks them as required (the `required` attribute).
        for name in self._relaxed:
            self.fields[name].required = True

    def clean_sms_code(self) -> str:
        if self.sending:
            return ""
        code = compact_number(self.cleaned_data["sms_code"])
        if not CODE_RE.fullmatch(code):
            raise ValidationError(_("验证码应为6位数字。"), code="invalid")
        return code


def _new_password_field(label: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        error_messages={"required": gettext_lazy("请设置密码。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def _confirm_password_field() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("确认密码"),
        strip=False,
        help_text=gettext_lazy("请再输入一次密码。"),
        error_messages={"required": gettext_lazy("请再输入一次密码。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def _password_help_text() -> str:
    # The rules come from AUTH_PASSWORD_VALIDATORS, so the hint follows the settings.
    return " ".join(password_validation.password_validators_help_texts())


def check_new_password(
    form: forms.Form, *, field: str, confirm_field: str, user: User, data: dict[str, Any]
) -> None:
    """Add errors to `form` if the two passwords differ or the password breaks a rule.

    `user` (saved or not) carries the personal data the password must not resemble; the
    settings' similarity check knows only the username and e-mail fields, hence the extra one.
    """
    password, confirm = data.get(field), data.get(confirm_field)
    if password and confirm and password != confirm:
        form.add_error(confirm_field, _("两次输入的密码不一致，请重新输入。"))
    if not password:
        return
    validators = [
        *password_validation.get_default_password_validators(),
        password_validation.UserAttributeSimilarityValidator(
            user_attributes=("id_number", "mobile")
        ),
    ]
    try:
        password_validation.validate_password(password, user, password_validators=validators)
    except ValidationError as error:
        form.add_error(field, [_password_message(e) for e in error.error_list])


class SignUpForm(CodeForm):
    """实名注册: name, ID number and mobile as on the citizen's card and phone, the code texted to
    that mobile, a password, consent."""

    send_fields = ("real_name", "id_number", "mobile")
    field_order = ("real_name", "id_number", "mobile", "sms_code", "password", "password_confirm")

    real_name = forms.CharField(
        label=gettext_lazy("姓名"),
        max_length=30,
        help_text=gettext_lazy("与居民身份证上的姓名一致。少数民族姓名中的间隔号请输入“·”。"),
        error_messages={
            "required": gettext_lazy("请输入姓名。"),
            "max_length": gettext_lazy("姓名应为2至30个字。"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=gettext_lazy("公民身份号码"),
        max_length=30,  # room for spaces between groups of digits; 18 after cleaning
        help_text=gettext_lazy("18位，前17位是数字，最后一位是数字或字母X。"),
        error_messages={
            "required": gettext_lazy("请输入公民身份号码。"),
            "max_length": gettext_lazy("公民身份号码应为18位，请核对后重新输入。"),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    mobile = forms.CharField(
        label=gettext_lazy("手机号码"),
        max_length=20,
        help_text=gettext_lazy("11位手机号码，可用于登录和接收办件通知。"),
        error_messages={
            "required": gettext_lazy("请输入手机号码。"),
            "max_length": gettext_lazy("手机号码应为以1开头的11位数字，请核对后重新输入。"),
        },
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    password = _new_password_field(gettext_lazy("设置密码"))
    password_confirm = _confirm_password_field()
    agreement = forms.BooleanField(
        label=gettext_lazy("我已阅读并同意《个人信息保护告知》"),
        error_messages={"required": gettext_lazy("请阅读并同意《个人信息保护告知》后再注册。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = _password_help_text()
        self.fields["mobile"].help_text = gettext_lazy(
            "11位手机号码，用于接收验证码、登录和接收办件通知。"
        )

    def clean_real_name(self) -> str:
        name = unicodedata.normalize("NFKC", self.cleaned_data["real_name"]).translate(_NAME_DOTS)
        if len(name) < 2:
            raise ValidationError(_("姓名应为2至30个字。"), code="min_length")
        if not NAME_RE.fullmatch(name):
            raise ValidationError(
                _("姓名只能包含汉字和间隔号“·”，请与居民身份证上的姓名保持一致。"), code="invalid"
            )
        return name

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"]
        try:
            number = normalise_citizen_id(value)
        except ValueError:
            raise ValidationError(_explain_id_number(value), code="invalid") from None
        if ric.get_birth_date(number) > timezone.localdate():  # stdnum checks only the calendar
            raise ValidationError(
                _("公民身份号码中的出生日期不正确，请核对后重新输入。"), code="invalid"
            )
        return number

    def clean_mobile(self) -> str:
        try:
            return normalise_mobile(self.cleaned_data["mobile"])
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.sending:
            user = User(
                real_name=data.get("real_name", ""),
                id_number=data.get("id_number"),
                mobile=data.get("mobile", ""),
            )
            check_new_password(
                self, field="password", confirm_field="password_confirm", user=user, data=data
            )
        return data


def _password_message(error: ValidationError) -> ValidationError:
    """Django's message, or ours where Django's Chinese is missing (5.2 changed the too-short
    msgid and zh_Hans still has the old one) or awkward (spaces around the field name)."""
    params = error.params or {}
    if error.code == "password_too_short":
        message = _("密码太短，至少需要%(min_length)d个字符。") % params
    elif error.code == "password_too_similar":
        message = _("密码与%(verbose_name)s太相似，请换一个密码。") % params
    else:
        return error
    return ValidationError(message, code=error.code)


def _explain_id_number(value: str) -> str:
    """Say which part of a refused ID number is wrong, in words a citizen can act on.

    `accounts.services.normalise_citizen_id` decided that the number is invalid; this only asks
    python-stdnum which check failed.
    """
    number = compact_number(value).upper()
    if len(number) == 15 and number.isdigit():
        return _("不支持15位旧号码，请输入18位公民身份号码。")
    try:
        ric.validate(number)
    # KeyError: python-stdnum fails this way on an area code it knows only at province level
    # (e.g. 112485…), after the length, checksum and date passed (core.identifiers guards the same).
    except KeyError:
        return _("公民身份号码前6位的地址码不正确，请核对后重新输入。")
    except InvalidLength:
        return _("公民身份号码应为18位，请核对后重新输入。")
    except InvalidFormat:
        return _("公民身份号码的前17位应为数字，最后一位是数字或字母X。")
    except InvalidChecksum:
        return _("公民身份号码校验位不正确，请核对后重新输入。")
    except InvalidComponent:
        try:
            ric.get_birth_date(number)
        except InvalidComponent:
            return _("公民身份号码中的出生日期不正确，请核对后重新输入。")
        return _("公民身份号码前6位的地址码不正确，请核对后重新输入。")
    except StdnumError:
        pass
    return _("公民身份号码不正确，请核对后重新输入。")


class SignInForm(forms.Form):
    """The sign-in form for Django's LoginView: `get_user()` after a valid submission."""

    account = forms.CharField(
        label=gettext_lazy("账号"),
        max_length=150,
        help_text=gettext_lazy("公民身份号码或手机号码。工作人员请输入用户名。"),
        error_messages={"required": gettext_lazy("请输入公民身份号码或手机号码。")},
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=gettext_lazy("密码"),
        strip=False,
        error_messages={"required": gettext_lazy("请输入密码。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        account, password = data.get("account"), data.get("password")
        if account and password:
            user = authenticate(self.request, username=account, password=password)
            if not isinstance(user, User):
                # One message whatever went wrong: it must not tell whether the account exists.
                raise ValidationError(_("账号或密码不正确。"), code="invalid_login")
            self.user = user
        return data

    def get_user(self) -> User:
        assert self.user is not None  # called by LoginView only after a valid submission
        return self.user


def _mobile_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,
        help_text=help_text,
        error_messages={
            "required": gettext_lazy("请输入手机号码。"),
            "max_length": gettext_lazy("手机号码应为以1开头的11位数字，请核对后重新输入。"),
        },
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )


def _clean_mobile(value: str) -> str:
    try:
        return normalise_mobile(value)
    except ValueError as exc:
        raise ValidationError(str(exc), code="invalid") from None


class SignInCodeForm(CodeForm):
    """短信验证码登录: the mobile, then the code texted to it."""

    send_fields = ("mobile",)
    field_order = ("mobile", "sms_code")

    mobile = _mobile_field(gettext_lazy("手机号码"), gettext_lazy("注册时填写的11位手机号码。"))

    def clean_mobile(self) -> str:
        return _clean_mobile(self.cleaned_data["mobile"])


class PasswordResetForm(CodeForm):
    """找回密码: ID number and mobile of the account, the code texted to it, a new password."""

    send_fields = ("id_number", "mobile")
    field_order = ("id_number", "mobile", "sms_code", "password", "password_confirm")

    id_number = forms.CharField(
        label=gettext_lazy("公民身份号码"),
        max_length=30,
        help_text=gettext_lazy("注册时填写的18位公民身份号码。"),
        error_messages={
            "required": gettext_lazy("请输入公民身份号码。"),
            "max_length": gettext_lazy("公民身份号码应为18位，请核对后重新输入。"),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    mobile = _mobile_field(gettext_lazy("手机号码"), gettext_lazy("注册时填写的11位手机号码。"))
    password = _new_password_field(gettext_lazy("新密码"))
    password_confirm = _confirm_password_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = _password_help_text()

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"]
        try:
            return normalise_citizen_id(value)
        except ValueError:
            raise ValidationError(_explain_id_number(value), code="invalid") from None

    def clean_mobile(self) -> str:
        return _clean_mobile(self.cleaned_data["mobile"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.sending:
            user = User(id_number=data.get("id_number"), mobile=data.get("mobile", ""))
            check_new_password(
                self, field="password", confirm_field="password_confirm", user=user, data=data
            )
        return data


class _CurrentPasswordMixin(forms.Form):
    """Asks for the signed-in user's current password (`user` is a keyword argument)."""

    current_password = forms.CharField(
        label=gettext_lazy("当前密码"),
        strip=False,
        error_messages={"required": gettext_lazy("请输入当前密码。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_current_password(self) -> str:
        password: str = self.cleaned_data["current_password"]
        if password and not self.user.check_password(password):
            raise ValidationError(_("当前密码不正确。"), code="password_incorrect")
        return password


class PasswordChangeForm(_CurrentPasswordMixin):
    """修改密码: the current password, then the new one twice."""

    field_order = ("current_password", "password", "password_confirm")

    password = _new_password_field(gettext_lazy("新密码"))
    password_confirm = _confirm_password_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = _password_help_text()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_new_password(
            self, field="password", confirm_field="password_confirm", user=self.user, data=data
        )
        return data


class MobileChangeForm(_CurrentPasswordMixin, CodeForm):
    """更换手机号码: the current password and the new mobile, then the code texted to it."""

    send_fields = ("current_password", "mobile")
    field_order = ("current_password", "mobile", "sms_code")

    mobile = _mobile_field(gettext_lazy("新手机号码"), gettext_lazy("验证码将发送到新手机号码。"))

    def clean_mobile(self) -> str:
        return _clean_mobile(self.cleaned_data["mobile"])
