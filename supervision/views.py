"""The rating pages: a closed case online (一事一评) with the follow-up of a 差评, the window
tablet (一次一评), the SMS link that rates without signing in, and the public figures."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from accounts.models import User
from applications.models import Application
from applications.permissions import access_application_for_applicant
from core.calendar import local_date
from core.errors import DomainError
from core.forms import add_domain_error
from matters.caching import public_page
from matters.workbench import StaffPageMixin
from supervision import followups, invitations, public, selectors, services
from supervision.choices import BAD_LEVELS, Level
from supervision.followup_forms import OutcomeForm
from supervision.forms import EvaluationForm, WindowRatingForm
from supervision.models import Followup


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _tags(form: EvaluationForm) -> list[str]:
    # Only the tags of the chosen polarity count; the other group may hold stale ticks.
    level = form.cleaned_data["level"]
    return list(form.cleaned_data["bad_tags" if level in BAD_LEVELS else "good_tags"])


def _rating_saved(form: EvaluationForm, submit: Callable[..., object]) -> bool:
    """Check the rating form and pass its level, tags and comment to `submit`; False, with a
    refusal on the form, if either says no."""
    if not form.is_valid():
        return False
    try:
        submit(
            level=form.cleaned_data["level"],
            tags=_tags(form),
            comment=form.cleaned_data["comment"],
            now=timezone.now(),
        )
    except invitations.InvalidRatingLinkError:
        return False  # the link page says so itself
    except DomainError as exc:
        add_domain_error(form, exc)
        return False
    return True


class EvaluationView(LoginRequiredMixin, View):
    """Rate one's closed case; afterwards, follow what became of a 差评 and rate the outcome."""

    def _page(
        self,
        request: HttpRequest,
        application: Application,
        form: EvaluationForm,
        status: int,
        outcome_form: OutcomeForm | None = None,
    ) -> HttpResponse:
        evaluation = selectors.evaluation_for(application_id=application.pk, user=_user(request))
        followup = selectors.followup_for_rater(evaluation=evaluation)
        context = {
            "application": application,
            "form": form,
            "evaluation": evaluation,
            "followup": followup,
            "outcome_form": outcome_form or OutcomeForm(),
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
        submit = partial(services.evaluation_submit, user=_user(request), application_id=pk)
        if _rating_saved(form, submit):
            return redirect("application-evaluate", pk=pk)
        return self._page(request, application, form, 400)


class FollowupOutcomeView(EvaluationView):
    """The rater says how satisfied they are with what the department did about their 差评."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return redirect("application-evaluate", pk=pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = self._application(request, pk)
        evaluation = selectors.evaluation_for(application_id=pk, user=_user(request))
        followup = selectors.followup_for_rater(evaluation=evaluation)
        if followup is None:
            raise Http404
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                followups.followup_rate_outcome(
                    user=_user(request), followup_id=followup.pk, level=form.cleaned_data["level"]
                )
            except Followup.DoesNotExist:
                raise Http404 from None
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("感谢您对处理结果的评价。"))
                return redirect("application-evaluate", pk=pk)
        return self._page(request, application, EvaluationForm(), 400, outcome_form=form)


class WindowRatingView(StaffPageMixin, View):
    """一次一评 on the counter tablet: the clerk opens it, the person at the counter rates."""

    not_found = (Application.DoesNotExist,)

    def _page(
        self, request: HttpRequest, pk: int, form: WindowRatingForm, status: int
    ) -> HttpResponse:
        case = selectors.window_case_for_clerk(user=_user(request), application_id=pk)
        template = "supervision/window_rating_done.html" if case.is_rated else None
        return render(
            request,
            template or "supervision/window_rating.html",
            {"workbench_section": "queue", "case": case, "form": form},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, pk, WindowRatingForm(), 200)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = WindowRatingForm(request.POST)
        submit = partial(
            services.evaluation_submit_at_window, clerk=_user(request), application_id=pk
        )
        if _rating_saved(form, submit):
            return redirect("window-rating", pk=pk)
        return self._page(request, pk, form, 400)


@method_decorator(never_cache, name="dispatch")
class RateByLinkView(View):
    """Rate a closed case from the SMS link, without signing in: the token is the credential."""

    def _respond(
        self, request: HttpRequest, template: str, context: dict[str, Any], status: int
    ) -> HttpResponse:
        response = render(request, template, context, status=status)
        # The token is a credential: no other site gets it in a Referer, no index keeps it.
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex"
        return response

    def _page(
        self, request: HttpRequest, token: str, form: EvaluationForm, status: int
    ) -> HttpResponse:
        try:
            application, evaluation = invitations.rating_link_case(token=token, now=timezone.now())
        except invitations.InvalidRatingLinkError as exc:
            return self._respond(
                request, "supervision/rate_link_invalid.html", {"message": exc.message}, 404
            )
        context = {
            "matter_name": application.version.name,
            "department_name": application.department.name,
            "form": form,
            "evaluation": evaluation,
            "rateable": application.status in services.RATEABLE_STATUSES,
        }
        template = "supervision/rate_link_done.html" if evaluation else "supervision/rate_link.html"
        return self._respond(request, template, context, 200 if evaluation else status)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return self._page(request, token, EvaluationForm(), 200)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        form = EvaluationForm(request.POST)
        if _rating_saved(form, partial(invitations.evaluation_submit_by_link, token=token)):
            return redirect("rate-by-link", token=token)
        return self._page(request, token, form, 400)


@method_decorator(public_page, name="get")
class PublicRatingsView(View):
    """好差评公示: the figures of a period by department and matter, for everyone (cacheable)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        start_on, end_on, valid = public.period_parse(
            request.GET.get("from"), request.GET.get("to"), today=local_date(timezone.now())
        )
        publication = public.ratings_published(start_on=start_on, end_on=end_on)
        return render(
            request,
            "supervision/public/ratings.html",
            {"publication": publication, "period_valid": valid, "levels": Level.choices},
        )
