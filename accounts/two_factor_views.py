"""Pages of the staff second factor: enrol an authenticator app, then enter its code."""

from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import RedirectURLMixin
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView

import segno

from accounts import two_factor
from accounts.models import User


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=12,
        help_text=gettext_lazy("认证器应用中显示的6位数字，每30秒更新一次。"),
        error_messages={"required": gettext_lazy("请输入6位数字验证码。")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@method_decorator(never_cache, name="dispatch")
class TwoFactorStartView(LoginRequiredMixin, View):
    """Send the member to enrolment or to the code page, keeping `next`."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = _staff(request)
        name = "two-factor-verify" if two_factor.confirmed_device(user) else "two-factor-setup"
        query = {"next": request.GET["next"]} if request.GET.get("next") else {}
        suffix = f"?{urlencode(query)}" if query else ""
        return HttpResponseRedirect(reverse(name) + suffix)


@method_decorator(never_cache, name="dispatch")
class _CodeView(LoginRequiredMixin, RedirectURLMixin, FormView[CodeForm]):
    form_class = CodeForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not two_factor.needs_second_factor(request.user):
            return HttpResponseRedirect(resolve_url("home"))  # citizens have no second factor
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        return reverse("workbench-queue")

    def device(self) -> Any:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(next=self.get_redirect_url(), **kwargs)

    def form_valid(self, form: CodeForm) -> HttpResponse:
        result = two_factor.code_verify(
            request=self.request,
            device=self.device(),
            code=form.cleaned_data["code"],
            now=timezone.now(),
        )
        if not result.ok:
            form.add_error("code", result.message)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: CodeForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TwoFactorSetupView(_CodeView):
    """First sign-in: show the key as a QR code and as text, confirm with one code."""

    template_name = "accounts/two_factor/setup.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if isinstance(user, User) and two_factor.confirmed_device(user):
            return HttpResponseRedirect(reverse("two-factor-verify"))
        return super().dispatch(request, *args, **kwargs)

    def device(self) -> Any:
        return two_factor.enrolment_device(_staff(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        device = self.device()
        qr = segno.make(device.config_url, error="m")
        return super().get_context_data(
            qr_svg=qr.svg_inline(scale=4, omitsize=False, svgclass="totp-qr"),
            secret=two_factor.secret_text(device),
            **kwargs,
        )


class TwoFactorVerifyView(_CodeView):
    """Later sign-ins: one code from the enrolled app."""

    template_name = "accounts/two_factor/verify.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if isinstance(user, User) and not two_factor.confirmed_device(user):
            return HttpResponseRedirect(reverse("two-factor-setup"))
        return super().dispatch(request, *args, **kwargs)

    def device(self) -> Any:
        return two_factor.confirmed_device(_staff(self.request))
