"""The clerk workbench (窗口、审查、审批人员工作台) and 一窗受理, as server-rendered pages.

Each view parses the request, makes one read or one write (`applications.selectors.staff`,
`applications.services`) and responds (STYLE R1). Staff only: a signed-in citizen gets 404, as
does staff asking for another department's case; a member whose role does not fit gets 403.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters

import segno

from accounts.models import User
from accounts.personal_data import (
    REASON_MAX_LENGTH,
    personal_data_can_reveal,
    personal_data_reveal,
)
from applications import services
from applications.forms.staff import ACTION_FORMS, ActionForm, WindowFilingForm, action_form
from applications.models import Application, ApplicationMaterial
from applications.permissions import access_application_for_staff_view
from applications.selectors import staff as selectors
from applications.views.files import material_response
from core.errors import DomainError
from core.http import client_ip
from matters.models import Matter
from matters.workbench import StaffPageMixin as BaseStaffPageMixin

# The service behind each case action; all take user, application_id and now.
ACTION_SERVICES: dict[str, Callable[..., object]] = {
    "claim": services.application_claim,
    "accept": services.application_accept,
    "supplement": services.application_supplement_request,
    "not_accept": services.application_not_accept,
    "pass": services.application_step_pass,
    "send_back": services.application_send_back,
    "approve": services.application_approve,
    "reject": services.application_reject,
    "suspend": services.application_suspend,
    "resume": services.application_resume,
    "extend": services.application_extend,
    "deliver": services.application_deliver,
    "assign": services.application_assign,
    "void": services.application_void,
}
TRACK_FALLBACK_PATH = "/track/"


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # StaffPageMixin let only signed-in staff through
    return user


class StaffPageMixin(BaseStaffPageMixin):
    """Workbench pages of cases: a case, material or matter outside the user's departments is 404."""

    not_found = (Application.DoesNotExist, ApplicationMaterial.DoesNotExist, Matter.DoesNotExist)


class QueueView(StaffPageMixin, View):
    """The queues of the user's departments, one tab each, overdue first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            page_number = int(request.GET.get("page", "1"))
        except ValueError:
            page_number = 1
        page = selectors.queue_for_staff(
            user=_staff(request),
            tab=request.GET.get("tab", ""),
            mine=request.GET.get("mine") == "1",
            page=page_number,
            now=timezone.now(),
        )
        params = {"tab": page.tab, **({"mine": "1"} if page.mine else {})}
        return render(
            request,
            "applications/staff/queue.html",
            {
                "workbench_section": "queue",
                "queue": page,
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


class RevealForm(django_forms.Form):
    """查看完整信息: the reason is required; its length is checked by accounts.personal_data."""

    reason = django_forms.CharField(
        label=gettext_lazy("查询事由"),
        help_text=gettext_lazy("将记录查看人、时间和事由，例如“窗口核对申请人身份”。"),
        error_messages={"required": gettext_lazy("请填写查询事由。")},
        widget=django_forms.TextInput(
            attrs={"maxlength": REASON_MAX_LENGTH, "autocomplete": "off"}
        ),
    )

    def __init__(self, data: QueryDict | None = None) -> None:
        super().__init__(data, auto_id="reveal_%s")  # ids apart from the action forms' fields


@dataclass(frozen=True)
class RevealedIdentity:
    """The applicant's ID number and mobile in full, shown once after a recorded reveal."""

    id_number: str
    mobile: str


def _case_page(
    request: HttpRequest,
    pk: int,
    *,
    failed: ActionForm | None = None,
    status: int = 200,
    reveal_form: RevealForm | None = None,
    revealed: RevealedIdentity | None = None,
) -> HttpResponse:
    """The case page with a form for each action allowed now; `failed` is shown as posted.

    `revealed` carries the full identity after a reveal; such a page must never be cached.
    """
    detail = selectors.case_detail_for_staff(
        user=_staff(request), application_id=pk, now=timezone.now()
    )
    forms = []
    for action in detail.actions:
        if failed is not None and failed.prefix == action:
            forms.append(failed)
        else:
            forms.append(
                action_form(
                    action,
                    targets=detail.supplement_targets,
                    colleagues=detail.colleagues,
                    delivery_method=detail.delivery_method,
                )
            )
    can_reveal = personal_data_can_reveal(user=_staff(request))
    response = render(
        request,
        "applications/staff/case.html",
        {
            "workbench_section": "queue",
            "case": detail,
            "forms": forms,
            "failed": failed,
            "reveal_form": (reveal_form or RevealForm()) if can_reveal and not revealed else None,
            "revealed": revealed,
        },
        status=status,
    )
    if revealed is not None:
        response["Cache-Control"] = "no-store"
    return response


class CaseView(StaffPageMixin, View):
    """One case: identity (masked), answers, materials, notices, deadlines, trail and actions."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _case_page(request, pk)


class CaseActionView(StaffPageMixin, View):
    """Post one action of the case page: one service call, then back to the case."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in ACTION_FORMS:
            raise Http404
        user = _staff(request)
        targets = (
            selectors.supplement_targets_for(user=user, application_id=pk)
            if action == "supplement"
            else []
        )
        form = action_form(action, data=request.POST, targets=targets)
        if not form.is_valid():
            return _case_page(request, pk, failed=form, status=400)
        try:
            ACTION_SERVICES[action](
                user=user, application_id=pk, now=timezone.now(), **form.arguments()
            )
        except DomainError as exc:  # ConflictError (someone acted first) is a 409
            form.add_domain_error(exc)
            return _case_page(request, pk, failed=form, status=exc.status_code)
        messages.success(request, str(form.success_message))
        return HttpResponseRedirect(reverse("workbench-case", args=[pk]))


# The reason is personal too: keep it out of error reports (it is never in a URL or a log line).
@method_decorator(sensitive_post_parameters("reason"), name="dispatch")
class CaseRevealView(StaffPageMixin, View):
    """查看完整信息: with a reason, show the applicant's whole ID number and mobile once (the
    reveal is recorded per field by accounts.personal_data); a member without the permission
    gets 403 and nothing is written."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = _staff(request)
        application = access_application_for_staff_view(user=user, application_id=pk)
        form = RevealForm(request.POST)
        if not personal_data_can_reveal(user=user):
            raise PermissionDenied(_("您没有查看完整个人信息的权限。"))
        if not form.is_valid():
            return _case_page(request, pk, reveal_form=form, status=400)
        values = {
            "applicant_id_number": application.applicant_id_number,
            "applicant_mobile": application.applicant_mobile,
        }
        shown: dict[str, str] = {}
        try:
            with transaction.atomic():  # both fields are recorded, or neither
                for field, value in values.items():
                    if not value:
                        continue
                    shown[field] = personal_data_reveal(
                        user=user,
                        object_type="applications.application",
                        object_id=str(application.pk),
                        field=field,
                        value=value,
                        reason=form.cleaned_data["reason"],
                        ip=client_ip(request),
                        now=timezone.now(),
                    )
        except DomainError as exc:
            form.add_error("reason", exc.errors.get("reason", [exc.message]))
            return _case_page(request, pk, reveal_form=form, status=400)
        revealed = RevealedIdentity(
            id_number=shown.get("applicant_id_number", ""),
            mobile=shown.get("applicant_mobile", ""),
        )
        return _case_page(request, pk, revealed=revealed)


class MaterialDownloadView(StaffPageMixin, View):
    """Stream one uploaded material; PDFs and images open in the browser, the rest download."""

    def get(self, request: HttpRequest, pk: int, material_id: int) -> FileResponse:
        material = selectors.material_for_staff(
            user=_staff(request), application_id=pk, material_id=material_id
        )
        return material_response(material, preview=True)


class FilingMatterListView(StaffPageMixin, View):
    """一窗受理, step one: the matters of the departments where the user is a window clerk."""

    def get(self, request: HttpRequest) -> HttpResponse:
        matters = selectors.matter_list_for_window_filing(user=_staff(request))
        return render(
            request,
            "applications/staff/file_matters.html",
            {"workbench_section": "file", "matters": matters},
        )


class FilingView(StaffPageMixin, View):
    """一窗受理, step two: file the walk-in applicant's application, then print the receipt."""

    template_name = "applications/staff/file.html"

    def get(self, request: HttpRequest, matter_id: int) -> HttpResponse:
        try:
            spec = selectors.filing_spec_for_window(user=_staff(request), matter_id=matter_id)
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("workbench-file"))
        form = WindowFilingForm(spec=spec, initial={"client_key": uuid.uuid4().hex})
        return render(
            request, self.template_name, {"workbench_section": "file", "spec": spec, "form": form}
        )

    def post(self, request: HttpRequest, matter_id: int) -> HttpResponse:
        user = _staff(request)
        try:
            spec = selectors.filing_spec_for_window(user=user, matter_id=matter_id)
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("workbench-file"))
        form = WindowFilingForm(request.POST, request.FILES, spec=spec)
        if not form.is_valid():
            return render(
                request,
                self.template_name,
                {"workbench_section": "file", "spec": spec, "form": form},
                status=400,
            )
        try:
            application = services.application_file_at_window(
                clerk=user,
                matter_id=matter_id,
                applicant=form.walk_in(),
                situation=form.situation(),
                answers=form.answers(),
                uploads=form.uploads(),
                paper=form.paper(),
                delivery_method=form.cleaned_data["delivery_method"],
                delivery_address=form.cleaned_data["delivery_address"],
                now=timezone.now(),
                client_key=form.cleaned_data["client_key"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
            return render(
                request,
                self.template_name,
                {"workbench_section": "file", "spec": spec, "form": form},
                status=400,
            )
        messages.success(request, _("已收件，请打印收件凭证交给申请人。"))
        return HttpResponseRedirect(reverse("workbench-receipt", args=[application.pk]))


def _qr_svg(url: str) -> SafeString:
    # segno writes the SVG itself from the URL's bits: no user markup can get into it.
    svg = segno.make(url, error="m", micro=False).svg_inline(scale=4, title=url)
    return mark_safe(svg)  # noqa: S308  # nosec B308, B703  # nosemgrep: tongban-mark-safe -- segno escapes the title


class ReceiptView(StaffPageMixin, View):
    """受理回执 / 收件凭证: printable, with a QR code to the public tracking page."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        receipt = selectors.receipt_for_staff(user=_staff(request), application_id=pk)
        try:
            track_path = reverse("track")
        except NoReverseMatch:  # the tracking page is being built elsewhere
            track_path = TRACK_FALLBACK_PATH
        track_url = request.build_absolute_uri(f"{track_path}?{urlencode({'q': receipt.query_no})}")
        return render(
            request,
            "applications/staff/receipt.html",
            {
                "workbench_section": "queue",
                "receipt": receipt,
                "track_url": track_url,
                "qr_svg": _qr_svg(track_url),
            },
        )
