"""The workbench pages of 差评 follow-up: the department's list, one follow-up with its actions,
and the supervisors' appeal queue. Each view parses the request, makes one read or one write
(`supervision.selectors`, `supervision.followups`) and responds (STYLE R1). Staff only: another
department's follow-up is 404, an action of another role a 403 page."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from accounts.models import User
from core.errors import DomainError
from core.forms import add_domain_error
from core.http import client_ip
from matters.workbench import StaffPageMixin
from supervision import followups, selectors
from supervision.choices import FollowupStatus
from supervision.followup_forms import FOLLOWUP_FORMS, DecideForm, FollowupActionForm
from supervision.models import Followup

# The service behind each action; all take user, followup_id and now.
FOLLOWUP_SERVICES: dict[str, Callable[..., Followup]] = {
    "contact": followups.followup_contact,
    "resolve": followups.followup_resolve,
    "appeal": followups.followup_appeal,
    "decide": followups.followup_appeal_decide,
}
FROM_APPEALS = "appeals"


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # StaffPageMixin let only signed-in staff through
    return user


class FollowupPageMixin(StaffPageMixin):
    not_found = (Followup.DoesNotExist,)


def _page_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


class FollowupListView(FollowupPageMixin, View):
    """The follow-ups of the user's departments, overdue first, filtered by status."""

    def get(self, request: HttpRequest) -> HttpResponse:
        page = selectors.followup_list_for_staff(
            user=_staff(request),
            status=request.GET.get("status", ""),
            page=_page_number(request),
            now=timezone.now(),
        )
        params = {"status": page.status} if page.status else {}
        return render(
            request,
            "supervision/followups/list.html",
            {
                "workbench_section": "followups",
                "followups": page,
                "statuses": FollowupStatus.choices,
                "pages": page.pages,
                "page_number": page.page_number,
                "previous_url": f"?{urlencode({**params, 'page': page.page_number - 1})}"
                if page.page_number > 1
                else "",
                "next_url": f"?{urlencode({**params, 'page': page.page_number + 1})}"
                if page.page_number < page.pages
                else "",
            },
        )


def _detail_page(
    request: HttpRequest,
    pk: int,
    *,
    failed: FollowupActionForm | None = None,
    status: int = 200,
    revealed_mobile: str = "",
    reveal_error: str = "",
) -> HttpResponse:
    """The follow-up page with a form for each action the user may take; `failed` as posted.
    A revealed mobile is shown once and the page is then never cached."""
    detail = selectors.followup_detail_for_staff(
        user=_staff(request), followup_id=pk, now=timezone.now()
    )
    forms = [
        failed if failed is not None and failed.action == action else FOLLOWUP_FORMS[action]()
        for action in detail.actions
    ]
    response = render(
        request,
        "supervision/followups/detail.html",
        {
            "workbench_section": "followups",
            "followup": detail,
            "forms": forms,
            "failed": failed,
            "revealed_mobile": revealed_mobile,
            "reveal_error": reveal_error,
            "may_call_back": bool({"contact", "resolve", "appeal"} & set(detail.actions)),
        },
        status=status,
    )
    if revealed_mobile:
        response["Cache-Control"] = "no-store"
    return response


def _appeals_page(
    request: HttpRequest, *, failed: DecideForm | None = None, failed_pk: int = 0, status: int = 200
) -> HttpResponse:
    rows = selectors.followup_appeals_for_supervisor(user=_staff(request), now=timezone.now())
    appeals = [
        (
            row,
            failed
            if failed is not None and row.pk == failed_pk
            else DecideForm(followup_id=row.pk),
        )
        for row in rows
    ]
    return render(
        request,
        "supervision/followups/appeals.html",
        {"workbench_section": "appeals", "appeals": appeals, "failed": failed},
        status=status,
    )


class FollowupDetailView(FollowupPageMixin, View):
    """One follow-up: the rating (rater masked), deadlines, history and the user's actions."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _detail_page(request, pk)


class FollowupContactNumberView(FollowupPageMixin, View):
    """The rater's mobile in full, for the call back (回访); recorded with its reason."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            mobile = followups.followup_contact_number(
                user=_staff(request),
                followup_id=pk,
                reason=str(request.POST.get("reason", "")),
                ip=client_ip(request),
                now=timezone.now(),
            )
        except DomainError as exc:
            return _detail_page(request, pk, status=400, reveal_error=exc.message)
        return _detail_page(request, pk, revealed_mobile=mobile)


class FollowupAppealListView(FollowupPageMixin, View):
    """The appeals awaiting the supervisor's decision, each with its decision form."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return _appeals_page(request)


class FollowupActionView(FollowupPageMixin, View):
    """Post one action of a follow-up: one service call, then back to the page it came from."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in FOLLOWUP_FORMS:
            raise Http404
        from_appeals = action == "decide" and request.POST.get("from") == FROM_APPEALS
        form: FollowupActionForm = (
            DecideForm(request.POST, followup_id=pk)
            if from_appeals
            else FOLLOWUP_FORMS[action](request.POST)
        )

        def failure(status: int) -> HttpResponse:
            if from_appeals and isinstance(form, DecideForm):
                return _appeals_page(request, failed=form, failed_pk=pk, status=status)
            return _detail_page(request, pk, failed=form, status=status)

        if not form.is_valid():
            return failure(400)
        try:
            FOLLOWUP_SERVICES[action](
                user=_staff(request), followup_id=pk, now=timezone.now(), **form.arguments()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            return failure(exc.status_code)
        messages.success(request, str(form.success_message))
        target = reverse("followup-appeals") if action == "decide" else None
        return HttpResponseRedirect(target or reverse("followup-detail", args=[pk]))
