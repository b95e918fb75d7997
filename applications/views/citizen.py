"""Citizens' pages: apply step by step, check answers, submit, follow a case, and public tracking.

Each view parses the request, makes one domain call and renders (STYLE R1). Drafts are saved on
every step, so an applicant can stop and resume on another device.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache

from accounts.choices import UserKind
from accounts.mandates import principals_for
from accounts.models import User
from applications import presentation, services
from applications.answers import visible_fields
from applications.choices import DeliveryMethod, MaterialSource, Status
from applications.models import Application
from applications.selectors import citizen as selectors
from applications.services.submission import answer_problems, submission_problems
from applications.uploads import UploadRefused
from applications.views.files import material_response
from certificates.selectors import certificate_usable_for
from core.errors import DomainError
from matters.choices import Necessity
from matters.models import FormField, Matter, MatterVersion
from matters.notice import AnswersIncompleteError, answers_parse, applicable_materials

STEPS = ("situation", "form", "materials", "delivery")
STEP_TITLES = {
    "situation": gettext_lazy("情形选择"),
    "form": gettext_lazy("填写申请表"),
    "materials": gettext_lazy("提交材料"),
    "delivery": gettext_lazy("结果送达"),
}


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # guaranteed by LoginRequiredMixin
    return request.user


@method_decorator(never_cache, name="dispatch")
class ApplicantView(LoginRequiredMixin, View):
    """Signed-in applicants; another person's application is a 404."""

    def case(self, request: HttpRequest, pk: int) -> selectors.CaseView:
        try:
            return selectors.application_detail_for_applicant(
                user=_user(request), application_id=pk
            )
        except Application.DoesNotExist:
            raise Http404 from None


@method_decorator(never_cache, name="dispatch")
class ApplyStartView(LoginRequiredMixin, View):
    """From a guide: confirm and start a draft (a POST, since guide pages carry no CSRF token)."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        matter = Matter.objects.filter(implementation_code=code.upper()).first()
        if matter is None or matter.current_version_id is None:
            raise Http404
        return self._render(request, matter)

    def _render(self, request: HttpRequest, matter: Matter, error: str = "") -> HttpResponse:
        version = matter.current_version
        assert version is not None
        if not error and not version.is_online:
            error = _("该事项暂不支持网上办理，请到办事窗口申请。")
        existing = (
            selectors.application_list_for_applicant(user=_user(request))
            .filter(matter=matter, status=Status.DRAFT)
            .order_by("-pk")
            .first()
        )
        context = {
            "matter": matter,
            "version": version,
            "existing": existing,
            "client_key": uuid.uuid4().hex,
            "error": error,
            "principals": _principals(_user(request), matter, version),
            "for_person": version.for_person,
        }
        return render(
            request, "applications/apply_start.html", context, status=400 if error else 200
        )

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        matter = Matter.objects.filter(implementation_code=code.upper()).first()
        if matter is None:
            raise Http404
        user = _user(request)
        version = matter.current_version
        on_behalf = str(request.POST.get("on_behalf", ""))
        applicant = user
        if on_behalf:
            # Only someone this person may act for on this matter; anything else is refused.
            offered = {str(p.pk): p for p in _principals(user, matter, version)}
            if on_behalf not in offered:
                return self._render(request, matter, _("请选择以谁的名义申请。"))
            applicant = offered[on_behalf]
        try:
            application = services.application_draft_create(
                applicant=applicant,
                filed_by=user,
                matter_id=matter.pk,
                now=timezone.now(),
                client_key=str(request.POST.get("client_key", ""))[:64],
            )
        except DomainError as exc:
            return self._render(request, matter, exc.message)
        return redirect("application-step", pk=application.pk, step=STEPS[0])


def _principals(user: User, matter: Matter, version: MatterVersion | None) -> list[User]:
    """Companies and people `user` may apply for on this matter, if the matter serves them."""
    if version is None:
        return []
    return [
        p
        for p in principals_for(agent=user, matter_code=matter.implementation_code)
        if (version.for_legal if p.kind == UserKind.LEGAL_PERSON else version.for_person)
    ]


INPUT_TYPES = {"NUMBER": "text", "DATE": "date", "MOBILE": "tel", "ID_NUMBER": "text"}
AUTOCOMPLETE = {"NAME": "name", "MOBILE": "tel", "ID_NUMBER": "off"}


def field_rows(
    fields: list[FormField], answers: dict[str, str], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """Form fields with their current value and errors, ready for the template."""
    return [
        {
            "field": f,
            "value": answers.get(f.key, ""),
            "errors": errors.get(f.key) or errors.get(f"answers.{f.key}") or [],
            "input_type": INPUT_TYPES.get(f.field_type, "text"),
            "inputmode": "decimal" if f.field_type == "NUMBER" else "",
            "autocomplete": AUTOCOMPLETE.get(f.prefill, ""),
        }
        for f in fields
        if f.field_type != "FILE"
    ]


def _step_context(
    case: selectors.CaseView, step: str, errors: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    application, version = case.application, case.version
    questions = sorted(version.situations.all(), key=lambda q: (q.order, q.pk))
    fields = visible_fields(version, application.situation)
    errors = errors or {}
    return {
        "field_rows": field_rows(fields, application.answers, errors),
        "error_list": [m for messages_ in errors.values() for m in messages_],
        "application": application,
        "version": version,
        "step": step,
        "steps": [(s, STEP_TITLES[s]) for s in STEPS],
        "step_index": STEPS.index(step),
        "questions": questions,
        "fields": fields,
        "materials": _material_rows(case),
        "delivery_methods": _delivery_methods(version),
    }


def _chosen(application: Application, version: MatterVersion) -> dict[str, Any] | None:
    try:
        return answers_parse(version, application.situation)
    except AnswersIncompleteError:
        return None


def _material_rows(
    case: selectors.CaseView, errors: dict[str, list[str]] | None = None
) -> list[dict[str, Any]]:
    """The materials that apply to the chosen situation, each with what was provided."""
    chosen = _chosen(case.application, case.version)
    provided = {m.material_key: m for m in case.materials}
    materials = applicable_materials(case.version, chosen)
    # 免提交: the applicant's valid certificates that can stand in for a material.
    offers = certificate_usable_for(
        holder_code=case.application.applicant_id_number,
        type_codes={m.certificate_type for m in materials if m.certificate_type},
        day=timezone.localdate(),
    )
    rows = []
    for material in materials:
        rows.append(
            {
                "material": material,
                "provided": provided.get(material.key),
                "certificate_offer": offers.get(material.certificate_type),
                "optional": material.necessity == Necessity.OPTIONAL,
                "deficiency_allowed": material.necessity == Necessity.DEFICIENCY_ALLOWED,
                "commitment_allowed": material.commitment_allowed,
                "errors": (errors or {}).get(f"materials.{material.key}", []),
            }
        )
    return rows


def _delivery_methods(version: MatterVersion) -> list[tuple[str, str]]:
    methods = [DeliveryMethod.ELECTRONIC, DeliveryMethod.WINDOW]
    if version.supports_express:
        methods.append(DeliveryMethod.MAIL)
    return [(m.value, str(m.label)) for m in methods]


class ApplicationStepView(ApplicantView):
    """One step of the application form; every POST saves the draft."""

    def get(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        if step not in STEPS:
            raise Http404
        case = self.case(request, pk)
        if case.application.status != Status.DRAFT:
            return redirect("application-detail", pk=pk)
        return render(request, "applications/apply_step.html", _step_context(case, step))

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        if step not in STEPS:
            raise Http404
        user, now = _user(request), timezone.now()
        try:
            if step == "materials":
                return self._material(request, pk, user)
            if step == "situation":  # the service keeps only the version's questions and options
                services.application_draft_update(
                    user=user, application_id=pk, now=now, situation=request.POST.dict()
                )
            elif step == "form":
                application = services.application_draft_update(
                    user=user, application_id=pk, now=now, answers=request.POST.dict()
                )
                problems = answer_problems(application)
                if problems and "save" not in request.POST:
                    context = _step_context(self.case(request, pk), "form", problems)
                    return render(request, "applications/apply_step.html", context, status=400)
            else:
                services.application_draft_update(
                    user=user,
                    application_id=pk,
                    now=now,
                    delivery_method=str(request.POST.get("delivery_method", "")),
                    delivery_address=str(request.POST.get("delivery_address", "")),
                )
        except Application.DoesNotExist:
            raise Http404 from None
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("application-detail", pk=pk)
        index = STEPS.index(step)
        if "save" in request.POST:
            messages.success(request, _("草稿已保存，您可以稍后在“我的办件”中继续填写。"))
            return redirect("application-step", pk=pk, step=step)
        if index + 1 < len(STEPS):
            return redirect("application-step", pk=pk, step=STEPS[index + 1])
        return redirect("application-check", pk=pk)

    def _material(self, request: HttpRequest, pk: int, user: User) -> HttpResponse:
        key = str(request.POST.get("material_key", ""))
        choice = str(request.POST.get("source", ""))
        now = timezone.now()
        try:
            if choice in (MaterialSource.DEFICIENCY, MaterialSource.COMMITMENT):
                services.application_material_choose(
                    user=user, application_id=pk, material_key=key, source=choice, now=now
                )
            elif choice == MaterialSource.CERTIFICATE:
                services.application_material_use_certificate(
                    user=user,
                    application_id=pk,
                    material_key=key,
                    certificate_id=_int(request.POST.get("certificate", "")),
                    now=now,
                )
            else:
                upload = request.FILES.get("file")
                if upload is None:
                    raise UploadRefused(_("请选择要上传的文件。"), code="empty")
                services.application_material_upload(
                    user=user, application_id=pk, material_key=key, file=upload, now=now
                )
        except DomainError as exc:
            case = self.case(request, pk)
            context = _step_context(case, "materials")
            context.update(material_error_key=key, material_error=exc.message)
            status = exc.status_code if isinstance(exc, UploadRefused) else 400  # 413/429/503
            return render(request, "applications/apply_step.html", context, status=status)
        messages.success(request, _("材料已保存。"))
        return redirect("application-step", pk=pk, step="materials")


class ApplicationCheckView(ApplicantView):
    """Check your answers, then submit. Submitting twice yields one application."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self.case(request, pk)
        if case.application.status != Status.DRAFT:
            return redirect("application-detail", pk=pk)
        return self._render(
            request, case, submission_problems(case.application, case.version, now=timezone.now())
        )

    def _render(
        self, request: HttpRequest, case: selectors.CaseView, problems: dict[str, list[str]]
    ) -> HttpResponse:
        application, version = case.application, case.version
        chosen = _chosen(application, version) or {}
        questions = sorted(version.situations.all(), key=lambda q: (q.order, q.pk))
        situation = [
            (
                q.text,
                chosen[q.key].label if q.key in chosen else "",
                problems.get(f"situation.{q.key}", []),
            )
            for q in questions
        ]
        answers = field_rows(
            visible_fields(version, application.situation), application.answers, problems
        )
        context = {
            "application": application,
            "version": version,
            "situation": situation,
            "answers": answers,
            "materials": _material_rows(case, problems),
            "delivery_errors": problems.get("delivery_method", [])
            + problems.get("delivery_address", []),
            "problems": problems,
            "problem_list": [m for messages_ in problems.values() for m in messages_],
        }
        return render(
            request, "applications/apply_check.html", context, status=400 if problems else 200
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            application = services.application_submit(
                user=_user(request), application_id=pk, now=timezone.now()
            )
        except Application.DoesNotExist:
            raise Http404 from None
        except DomainError as exc:
            return self._render(request, self.case(request, pk), exc.errors or {"": [exc.message]})
        return redirect("application-confirmation", pk=application.pk)


class ApplicationConfirmationView(ApplicantView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self.case(request, pk)
        if case.application.status == Status.DRAFT:
            return redirect("application-check", pk=pk)
        return render(
            request,
            "applications/confirmation.html",
            {
                "application": case.application,
                "version": case.version,
                "next_step": presentation.next_step_text(case.application),
            },
        )


MY_APPLICATIONS_PER_PAGE = 20


@method_decorator(never_cache, name="dispatch")
class MyApplicationsView(LoginRequiredMixin, View):
    """The applicant's cases, newest change first, MY_APPLICATIONS_PER_PAGE at a time (a company's
    agent may follow thousands; rendering them all cost 50-70 ms of CPU at 170 cases)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        now = timezone.now()
        paginator = Paginator(
            selectors.application_list_for_applicant(user=_user(request)),
            MY_APPLICATIONS_PER_PAGE,
        )
        page = paginator.get_page(request.GET.get("page"))
        rows = [presentation.case_row(application, now=now) for application in page]
        bundles = (
            selectors.bundle_applications_for(user=_user(request))[:50] if page.number == 1 else []
        )
        return render(
            request,
            "applications/my_list.html",
            {
                "rows": rows,
                "bundles": bundles,
                "page_number": page.number,
                "pages": paginator.num_pages,
                "previous_url": f"?page={page.previous_page_number()}"
                if page.has_previous()
                else "",
                "next_url": f"?page={page.next_page_number()}" if page.has_next() else "",
            },
        )


class ApplicationDetailView(ApplicantView):
    """The applicant's case: status, deadlines, what happens next, the timeline, and what they can
    do now (补正, catch up a 容缺 material, withdraw)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self.case(request, pk)
        if case.application.status == Status.DRAFT:
            return redirect("application-step", pk=pk, step=STEPS[0])
        return render(request, "applications/detail.html", _detail_context(case))


class ApplicationCertificateStatusView(ApplicantView):
    """The case's certificate status as JSON, polled by the case page until it is ready."""

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        try:
            certificate = selectors.certificate_for_applicant(
                user=_user(request), application_id=pk
            )
        except Application.DoesNotExist:
            raise Http404 from None
        if certificate is None:
            return JsonResponse({"status": "NONE"})
        return JsonResponse(
            {
                "status": certificate.status,
                "label": certificate.get_status_display(),
                "html": render_to_string(
                    "applications/_certificate.html", {"certificate": certificate}, request=request
                ),
            }
        )


def _detail_context(case: selectors.CaseView, **extra: Any) -> dict[str, Any]:
    application = case.application
    listed = case.open_notice.items if case.open_notice else []
    catching_up = application.status in (Status.IN_REVIEW, Status.SUSPENDED)
    owed = [m for m in case.materials if m.is_pending_deficiency] if catching_up else []
    fields = {f.key: f for f in case.version.form_fields.all()}
    return {
        "application": application,
        "version": case.version,
        "timeline": presentation.timeline_for_citizen(case.events),
        "next_step": presentation.next_step_text(application),
        "materials": case.materials,
        "certificate": case.certificate,
        "notice": case.open_notice,
        "notice_materials": [i for i in listed if i["kind"] == "material"],
        "notice_fields": [
            (fields[i["key"]], _answer_shown(fields[i["key"]], application), i["reason"])
            for i in listed
            if i["kind"] == "field" and i["key"] in fields
        ],
        "owed": owed,
        "can_withdraw": application.status
        in (Status.RECEIVED, Status.SUPPLEMENT_REQUIRED, Status.IN_REVIEW, Status.SUSPENDED),
        **extra,
    }


def _answer_shown(field: FormField, application: Application) -> str:
    """A 补正 field's current answer to prefill; personal numbers are not echoed back whole."""
    if field.field_type in ("ID_NUMBER", "MOBILE"):
        return ""
    return str(application.answers.get(field.key, ""))


class ApplicationMaterialView(ApplicantView):
    """Upload a material after submission: an item of the 补正 notice or a 容缺 catch-up."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        key = str(request.POST.get("material_key", ""))
        try:
            upload = request.FILES.get("file")
            if upload is None:
                raise UploadRefused(_("请选择要上传的文件。"), code="empty")
            services.application_material_upload(
                user=_user(request),
                application_id=pk,
                material_key=key,
                file=upload,
                now=timezone.now(),
            )
        except Application.DoesNotExist:
            raise Http404 from None
        except DomainError as exc:
            context = _detail_context(
                self.case(request, pk), material_error_key=key, material_error=exc.message
            )
            status = exc.status_code if isinstance(exc, UploadRefused) else 400  # 413/429/503
            return render(request, "applications/detail.html", context, status=status)
        messages.success(request, _("材料已上传。"))
        return redirect("application-detail", pk=pk)


class ApplicationResubmitView(ApplicantView):
    """Submit the supplements listed on the 补正 notice."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        answers = {
            k.removeprefix("field_"): v for k, v in request.POST.items() if k.startswith("field_")
        }
        try:
            services.application_supplement_answer(
                user=_user(request), application_id=pk, now=timezone.now(), answers=answers
            )
        except Application.DoesNotExist:
            raise Http404 from None
        except DomainError as exc:
            context = _detail_context(
                self.case(request, pk), errors=exc.errors, error_message=exc.message
            )
            return render(request, "applications/detail.html", context, status=400)
        messages.success(request, _("补正材料已提交，部门将重新审核是否受理。"))
        return redirect("application-detail", pk=pk)


class ApplicationWithdrawView(ApplicantView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.application_withdraw(
                user=_user(request),
                application_id=pk,
                now=timezone.now(),
                reason=str(request.POST.get("reason", ""))[:500],
            )
        except Application.DoesNotExist:
            raise Http404 from None
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("application-detail", pk=pk)
        messages.success(request, _("申请已撤回。"))
        return redirect("application-detail", pk=pk)


class DraftDiscardView(ApplicantView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.application_draft_discard(user=_user(request), application_id=pk)
        except Application.DoesNotExist:
            raise Http404 from None
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("application-detail", pk=pk)
        messages.success(request, _("草稿已删除。"))
        return redirect("my-applications")


class ApplicantMaterialDownloadView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, material_id: int) -> FileResponse:
        try:
            material = selectors.material_for_applicant(
                user=_user(request), application_id=pk, material_id=material_id
            )
        except ObjectDoesNotExist:
            raise Http404 from None
        return material_response(material)


class TrackView(View):
    """Public tracking by query number (查询号), from the receipt's QR code: status and the plain
    timeline, nothing personal."""

    def get(self, request: HttpRequest) -> HttpResponse:
        query_no = str(request.GET.get("q", "")).strip()[:16]
        case = selectors.application_for_tracking(query_no=query_no) if query_no else None
        context: dict[str, Any] = {"query_no": query_no, "searched": bool(query_no)}
        if case is not None:
            application = case.application
            label, deadline, _start = presentation.running_deadline(application)
            context.update(
                application=application,
                version=case.version,
                timeline=presentation.timeline_for_citizen(case.events),
                next_step=presentation.next_step_text(application),
                deadline_label=label,
                deadline=deadline,
            )
        response = render(request, "applications/track.html", context)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response
