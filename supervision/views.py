"""The rating page of a closed case (一事一评)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from accounts.models import User
from applications.models import Application
from applications.permissions import access_application_for_applicant
from core.errors import DomainError
from core.forms import add_domain_error
from supervision import selectors, services
from supervision.choices import BAD_LEVELS
from supervision.forms import EvaluationForm


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class EvaluationView(LoginRequiredMixin, View):
    def _page(
        self, request: HttpRequest, application: Application, form: EvaluationForm, status: int
    ) -> HttpResponse:
        context = {
            "application": application,
            "form": form,
            "evaluation": selectors.evaluation_for(
                application_id=application.pk, user=_user(request)
            ),
            "rateable": application.status in services.RATEABLE_STATUSES,
        }
        return render(request, "supervision/evaluate.html", context, status=status)

    def _application(self, request: HttpRequest, pk: int) -> Application:
        try:
            return access_application_for_applicant(user=_user(request), application_id=pk)
        except Application.DoesNotExist:
            raise Http404 from None

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, self._application(request, pk), EvaluationForm(), 200)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = self._application(request, pk)
        form = EvaluationForm(request.POST)
        if form.is_valid():
            level = form.cleaned_data["level"]
            # Only the tags of the chosen polarity count; the other group may hold stale ticks.
            tags = form.cleaned_data["bad_tags" if level in BAD_LEVELS else "good_tags"]
            try:
                services.evaluation_submit(
                    user=_user(request),
                    application_id=pk,
                    level=level,
                    tags=tags,
                    comment=form.cleaned_data["comment"],
                    now=timezone.now(),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("application-evaluate", pk=pk)
        return self._page(request, application, form, 400)
