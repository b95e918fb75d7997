"""Sign-up (实名注册), sign-in (password or SMS code), password reset and change, change of mobile.

Pages that text a code post twice to the same URL: the "获取验证码" button (`send_code`) sends the
code and shows the form again with what was typed; the main button does the work.
"""

from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import RedirectURLMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView

from accounts import services
from accounts.choices import UserKind
from accounts.forms import (
    CodeForm,
    MobileChangeForm,
    PasswordChangeForm,
    PasswordResetForm,
    SignInCodeForm,
    SignInForm,
    SignUpForm,
)
from accounts.middleware import IDLE_SIGNED_OUT_KEY, staff_password_expired
from accounts.models import User
from accounts.two_factor import needs_second_factor
from core.errors import DomainError
from core.forms import add_domain_error

SEND_CODE = "send_code"  # name of the "获取验证码" submit button

F = TypeVar("F", bound=CodeForm)


class CodeFormView(FormView[F]):
    """A page whose form has a "获取验证码" button beside its main one."""

    def get_form_kwargs(self) -> dict[str, Any]:
        sending = self.request.method == "POST" and SEND_CODE in self.request.POST
        return {**super().get_form_kwargs(), "sending": sending}

    def form_valid(self, form: F) -> HttpResponse:
        if form.sending:
            try:
                self.send_code(form)
            except DomainError as exc:
                add_domain_error(form, exc)
                return self.form_invalid(form)
            context = self.get_context_data(
                form=form,
                code_sent_message=self.sent_message(),
                resend_seconds=settings.SMS_CODE_RESEND_SECONDS,
            )
            return self.render_to_response(context)
        try:
            return self.submit(form)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self.form_invalid(form)

    def form_invalid(self, form: F) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def sent_message(self) -> str:
        """What the page says once a code is asked for."""
        raise NotImplementedError

    def send_code(self, form: F) -> None:
        raise NotImplementedError

    def submit(self, form: F) -> HttpResponse:
        raise NotImplementedError


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class SignUpView(RedirectURLMixin, CodeFormView[SignUpForm]):
    """Create a real-name citizen account once the mobile is confirmed by a code, sign the citizen
    in and go back to `next` if it is ours."""

    form_class = SignUpForm
    template_name = "accounts/sign_up.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:  # one person, one account: nothing to sign up for
            return HttpResponseRedirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(next=self.get_redirect_url(), **kwargs)

    def sent_message(self) -> str:
        return _("验证码已发送到您填写的手机号码，请查收短信。")

    def send_code(self, form: SignUpForm) -> None:
        data = form.cleaned_data
        services.citizen_sign_up_code_send(
            id_number=data["id_number"], mobile=data["mobile"], now=timezone.now()
        )

    def submit(self, form: SignUpForm) -> HttpResponse:
        data = form.cleaned_data
        user = services.citizen_sign_up(
            password=data["password"],
            real_name=data["real_name"],
            id_number=data["id_number"],
            mobile=data["mobile"],
            code=data["sms_code"],
            now=timezone.now(),
        )
        login(self.request, user, backend="accounts.backends.IdentityBackend")
        return HttpResponseRedirect(self.get_success_url())


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class SignInView(RedirectURLMixin, FormView[SignInForm]):
    """Sign in with the ID number, the mobile or a username; then go to `next` if it is ours.

    What Django's LoginView does, with a form that is not an AuthenticationForm. The password is
    checked through `authenticate(request, …)`, so django-axes counts failures and locks out.
    """

    form_class = SignInForm
    template_name = "accounts/sign_in.html"

    def get_default_redirect_url(self) -> str:
        # Staff come to work: their workbench, through the second factor.
        if needs_second_factor(self.request.user):
            return resolve_url("workbench-queue")
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Set by SessionTimeoutMiddleware when it signed the visitor out; shown once.
        idle_signed_out = self.request.session.pop(IDLE_SIGNED_OUT_KEY, False)
        return super().get_context_data(
            next=self.get_redirect_url(), idle_signed_out=idle_signed_out, **kwargs
        )

    def form_valid(self, form: SignInForm) -> HttpResponse:
        login(self.request, form.get_user())  # rotates the session key
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: SignInForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class SignInCodeView(RedirectURLMixin, CodeFormView[SignInCodeForm]):
    """短信验证码登录 for citizens. The page never tells whether the mobile is registered."""

    form_class = SignInCodeForm
    template_name = "accounts/sign_in_code.html"

    def get_default_redirect_url(self) -> str:
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(next=self.get_redirect_url(), **kwargs)

    def sent_message(self) -> str:
        # The same whether or not a code was sent.
        return _("如果该手机号码已注册，验证码已发送，请查收短信。")

    def send_code(self, form: SignInCodeForm) -> None:
        services.sign_in_code_send(mobile=form.cleaned_data["mobile"], now=timezone.now())

    def submit(self, form: SignInCodeForm) -> HttpResponse:
        user = services.sign_in_code_check(
            mobile=form.cleaned_data["mobile"],
            code=form.cleaned_data["sms_code"],
            now=timezone.now(),
        )
        login(self.request, user, backend="accounts.backends.IdentityBackend")
        return HttpResponseRedirect(self.get_success_url())


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class PasswordResetView(CodeFormView[PasswordResetForm]):
    """找回密码 by ID number, mobile and a code; then the citizen signs in with the new password."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"

    def sent_message(self) -> str:
        # The same whether or not a code was sent.
        return _("如果公民身份号码和手机号码与已注册的账号一致，验证码已发送到该手机，请查收短信。")

    def send_code(self, form: PasswordResetForm) -> None:
        data = form.cleaned_data
        services.password_reset_code_send(
            id_number=data["id_number"], mobile=data["mobile"], now=timezone.now()
        )

    def submit(self, form: PasswordResetForm) -> HttpResponse:
        data = form.cleaned_data
        services.password_reset(
            id_number=data["id_number"],
            mobile=data["mobile"],
            code=data["sms_code"],
            password=data["password"],
            now=timezone.now(),
        )
        messages.success(self.request, _("密码已重置，请使用新密码登录。"))
        return HttpResponseRedirect(reverse("sign-in"))


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class PasswordChangeView(LoginRequiredMixin, RedirectURLMixin, FormView[PasswordChangeForm]):
    """修改密码 while signed in; this session stays signed in (with a new key), all others end.

    Also the page staff are sent to when their password has expired
    (accounts.middleware.PasswordExpiryMiddleware); afterwards they go on to `next`.
    """

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"

    def get_default_redirect_url(self) -> str:
        return reverse("password-change")

    def get_form_kwargs(self) -> dict[str, Any]:
        assert isinstance(self.request.user, User)  # guaranteed by LoginRequiredMixin
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        expired = staff_password_expired(self.request.user, timezone.now())
        return super().get_context_data(
            next=self.get_redirect_url(),
            password_expired=expired,
            max_age_days=settings.STAFF_PASSWORD_MAX_AGE_DAYS,
            **kwargs,
        )

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        user = services.user_password_set(user=form.user, password=form.cleaned_data["password"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("密码已修改。其他设备上的登录已退出。"))
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: PasswordChangeForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class MobileChangeView(LoginRequiredMixin, CodeFormView[MobileChangeForm]):
    """更换手机号码 (citizens): password and new mobile, then the code texted to the new mobile."""

    form_class = MobileChangeForm
    template_name = "accounts/mobile_change.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if isinstance(user, User) and (user.is_staff or user.kind != UserKind.CITIZEN):
            raise PermissionDenied  # staff mobiles are managed by their administrators
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        assert isinstance(self.request.user, User)  # guaranteed by LoginRequiredMixin
        return {**super().get_form_kwargs(), "user": self.request.user}

    def sent_message(self) -> str:
        return _("验证码已发送到新手机号码，请查收短信。")

    def send_code(self, form: MobileChangeForm) -> None:
        services.mobile_change_code_send(
            user=form.user, mobile=form.cleaned_data["mobile"], now=timezone.now()
        )

    def submit(self, form: MobileChangeForm) -> HttpResponse:
        services.mobile_change(
            user=form.user,
            mobile=form.cleaned_data["mobile"],
            code=form.cleaned_data["sms_code"],
            now=timezone.now(),
        )
        messages.success(self.request, _("手机号码已更换。原手机号码将收到一条安全提醒短信。"))
        return HttpResponseRedirect(reverse("mobile-change"))
