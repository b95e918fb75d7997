"""My companies (法人) and proxies (代办): who I act for and who acts for me."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts import mandates
from accounts.choices import MandateKind, UserKind
from accounts.mandate_forms import AgentForm, CompanyRegisterForm
from accounts.models import Mandate, User
from core.errors import DomainError
from core.forms import add_domain_error


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class CompaniesView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        given = mandates.mandates_given_by(user)
        companies = [
            {"company": c, "agents": [m for m in given if m.principal_id == c.pk]}
            for c in mandates.companies_represented_by(user)
        ]
        held = [m for m in mandates.mandates_held_by(user) if m.kind == MandateKind.COMPANY_AGENT]
        return render(
            request, "accounts/mandates/companies.html", {"companies": companies, "held": held}
        )


class CompanyRegisterView(LoginRequiredMixin, View):
    template = "accounts/mandates/company_register.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, {"form": CompanyRegisterForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CompanyRegisterForm(request.POST)
        if form.is_valid():
            try:
                company = mandates.company_register(
                    representative=_user(request),
                    uscc=form.cleaned_data["uscc"],
                    name=form.cleaned_data["name"],
                    now=timezone.now(),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已登记%(name)s。") % {"name": company.real_name})
                return redirect("companies")
        return render(request, self.template, {"form": form}, status=400)


class _GrantView(LoginRequiredMixin, View):
    template = "accounts/mandates/grant.html"

    def principal(self, request: HttpRequest, **kwargs: Any) -> User:
        raise NotImplementedError

    def _render(
        self, request: HttpRequest, principal: User, form: AgentForm, status: int
    ) -> HttpResponse:
        is_company = principal.kind == UserKind.LEGAL_PERSON
        context = {
            "form": form,
            "principal": principal,
            "is_company": is_company,
            "statement": mandates.COMPANY_CONSENT if is_company else mandates.PROXY_CONSENT,
        }
        return render(request, self.template, context, status=status)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self._render(request, self.principal(request, **kwargs), AgentForm(), 200)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        principal = self.principal(request, **kwargs)
        form = AgentForm(request.POST)
        if form.is_valid():
            try:
                mandates.mandate_grant(
                    granted_by=_user(request),
                    principal=principal,
                    agent_name=form.cleaned_data["name"],
                    agent_id_number=form.cleaned_data["id_number"],
                    matter_codes=form.codes(),
                    consent=form.cleaned_data["consent"],
                    now=timezone.now(),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("授权已生效。"))
                return redirect(
                    "companies" if principal.kind == UserKind.LEGAL_PERSON else "proxies"
                )
        return self._render(request, principal, form, 400)


class AgentAddView(_GrantView):
    def principal(self, request: HttpRequest, **kwargs: Any) -> User:
        company = User.objects.filter(
            pk=kwargs["pk"], kind=UserKind.LEGAL_PERSON, legal_representative=_user(request)
        ).first()
        if company is None:
            raise Http404
        return company


class ProxyAddView(_GrantView):
    def principal(self, request: HttpRequest, **kwargs: Any) -> User:
        return _user(request)


class ProxiesView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        context = {
            "given": [m for m in mandates.mandates_given_by(user) if m.kind == MandateKind.PROXY],
            "held": [m for m in mandates.mandates_held_by(user) if m.kind == MandateKind.PROXY],
        }
        return render(request, "accounts/mandates/proxies.html", context)


class MandateRevokeView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        try:
            mandate = mandates.mandate_revoke(user=user, mandate_id=pk, now=timezone.now())
        except Mandate.DoesNotExist:
            raise Http404 from None
        messages.success(request, _("授权已撤销。"))
        return redirect("companies" if mandate.kind == MandateKind.COMPANY_AGENT else "proxies")
