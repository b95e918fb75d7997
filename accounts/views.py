"""Sign-up (实名注册), sign-in and sign-out pages."""

from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import RedirectURLMixin
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView

from accounts import services
from accounts.forms import SignInForm, SignUpForm
from core.errors import DomainError


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class SignUpView(RedirectURLMixin, FormView[SignUpForm]):
    """Create a real-name citizen account, sign the citizen in and go back to `next` if it is ours."""

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

    def form_valid(self, form: SignUpForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            user = services.citizen_create(
                password=data["password"],
                real_name=data["real_name"],
                id_number=data["id_number"],
                mobile=data["mobile"],
            )
        except DomainError as exc:
            for field, messages in (exc.errors or {NON_FIELD_ERRORS: [exc.message]}).items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        login(self.request, user, backend="accounts.backends.IdentityBackend")
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: SignUpForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class SignInView(RedirectURLMixin, FormView[SignInForm]):
    """Sign in with the ID number, the mobile or a username; then go to `next` if it is ours.

    What Django's LoginView does, with a form that is not an AuthenticationForm.
    """

    form_class = SignInForm
    template_name = "accounts/sign_in.html"

    def get_default_redirect_url(self) -> str:
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(next=self.get_redirect_url(), **kwargs)

    def form_valid(self, form: SignInForm) -> HttpResponse:
        login(self.request, form.get_user())  # rotates the session key
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: SignInForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)
