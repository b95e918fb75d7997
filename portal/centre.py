"""The citizen centre (我的): one page with everything a signed-in person has going on here, and the
profile page. It reads through each app's selectors; nothing here writes but the language choice."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.choices import Language
from accounts.mandates import companies_represented_by, mandates_given_by, mandates_held_by
from accounts.models import User
from accounts.services import user_language_set
from applications import presentation
from applications.choices import Status
from applications.selectors.citizen import application_list_for_applicant
from certificates.selectors import certificate_list_for_holder
from core.identifiers import mask_name
from notifications.selectors import inbox_list_for_user, inbox_unread_count
from supervision.selectors import applications_awaiting_evaluation

SHOWN = 20  # per section; the full lists have their own pages


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class CentreView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        now = timezone.now()
        applications = application_list_for_applicant(user=user)
        open_cases = [
            presentation.case_row(application, now=now)
            for application in applications.exclude(status=Status.DRAFT).filter(
                closed_at__isnull=True, completed_at__isnull=True
            )[:SHOWN]
        ]
        context: dict[str, Any] = {
            "open_cases": open_cases,
            "drafts": list(applications.filter(status=Status.DRAFT)[:SHOWN]),
            "to_rate": list(applications_awaiting_evaluation(user=user)[:SHOWN]),
            "unread": inbox_unread_count(user=user),
            "latest_messages": list(inbox_list_for_user(user=user)[:3]),
            "certificate_count": certificate_list_for_holder(user=user).count(),
            "companies": companies_represented_by(user),
            "acting_for": mandates_held_by(user),
            "acting_for_me": mandates_given_by(user),
        }
        return render(request, "portal/centre.html", context)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("消息语言"),
        choices=Language.choices,
        help_text=gettext_lazy("短信、邮件和站内消息使用的语言。"),
    )


class ProfileView(LoginRequiredMixin, View):
    def _render(self, request: HttpRequest, form: LanguageForm, status: int = 200) -> HttpResponse:
        user = _user(request)
        context = {
            "masked_name": mask_name(user.real_name),
            "masked_id_number": user.masked_id_number,
            "masked_mobile": user.masked_mobile,
            "form": form,
        }
        return render(request, "portal/profile.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, LanguageForm(initial={"language": _user(request).language}))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LanguageForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        user_language_set(user=_user(request), language=form.cleaned_data["language"])
        messages.success(request, _("已保存。"))
        return redirect("profile")
