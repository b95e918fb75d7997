"""一件事 pages of the applicant: start, the one form with its one set of materials, submit, and
the bundle's page with every case, the held 补正 items and one timeline."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.choices import UserKind
from accounts.mandates import companies_represented_by
from accounts.models import User
from applications import bundles
from applications.choices import DeliveryMethod, NoticeStatus, Status
from applications.models import (
    ApplicationEvent,
    ApplicationMaterial,
    BundleApplication,
    SupplementNotice,
)
from applications.permissions import access_bundle_for_applicant
from applications.services import SubmissionIncompleteError
from applications.uploads import UploadRefused
from core.errors import DomainError
from matters.bundles import BundleGuide, bundle_guide, bundle_prerequisites
from matters.choices import Audience, BundleOrder
from matters.models import Bundle


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # guaranteed by LoginRequiredMixin
    return request.user


def _bundle_application(request: HttpRequest, pk: int) -> BundleApplication:
    try:
        return access_bundle_for_applicant(user=_user(request), bundle_application_id=pk)
    except BundleApplication.DoesNotExist:
        raise Http404 from None


class BundleApplyView(LoginRequiredMixin, View):
    """Start a 一件事: for oneself, or for a company one represents."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        bundle = Bundle.objects.filter(code=code, is_published=True).first()
        if bundle is None:
            raise Http404
        companies = (
            list(companies_represented_by(_user(request)))
            if bundle.audience == Audience.LEGAL
            else []
        )
        return render(
            request,
            "applications/bundle_start.html",
            {"guide": bundle_guide(bundle), "companies": companies,
             "client_key": uuid.uuid4().hex},
        )  # fmt: skip

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        user = _user(request)
        bundle = Bundle.objects.filter(code=code, is_published=True).first()
        if bundle is None:
            raise Http404
        applicant = user
        if bundle.audience == Audience.LEGAL:
            companies = {c.pk: c for c in companies_represented_by(user)}
            chosen = companies.get(int(request.POST.get("company", "0") or 0))
            if chosen is None:
                messages.error(request, _("该一件事面向企业办理，请先选择您代表的企业。"))
                return redirect("bundle-guide", code=code)
            applicant = chosen
        elif user.kind != UserKind.CITIZEN:
            raise Http404
        try:
            bundle_application = bundles.bundle_application_start(
                applicant=applicant,
                bundle_id=bundle.pk,
                now=timezone.now(),
                filed_by=user,
                client_key=str(request.POST.get("client_key", ""))[:64] or uuid.uuid4().hex,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("bundle-guide", code=code)
        return redirect("bundle-application-edit", pk=bundle_application.pk)


def _form_context(
    bundle_application: BundleApplication, errors: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    guide: BundleGuide = bundle_guide(bundle_application.bundle)
    cases = {case.matter_id: case for case in bundle_application.cases.all()}
    errors = errors or {}
    first = next(iter(cases.values()), None)
    answers: dict[str, Any] = {}
    for case in cases.values():
        answers = {**case.answers, **answers}
    situations = [
        {
            "member": member,
            "case": cases.get(member.matter_id),
            "questions": [
                {
                    "question": question,
                    "name": f"s-{member.matter_id}-{question.key}",
                    "chosen": (cases[member.matter_id].situation.get(question.key, "")
                               if member.matter_id in cases else ""),
                    "errors": errors.get(f"situation.{member.matter_id}.{question.key}", []),
                }
                for question in member.version.situations.all()
            ],
        }
        for member in guide.members
        if member.version.situations.all()
    ]  # fmt: skip
    provided = {
        (material.application.matter_id, material.material_key): material
        for material in ApplicationMaterial.objects.current()
        .filter(application__bundle_application=bundle_application)
        .select_related("application")
    }
    materials = [
        {
            "shared": shared,
            "provided": next(
                (provided[(m, k)] for m, k in shared.keys.items() if (m, k) in provided), None
            ),
            "matters": [member.version.name for member in guide.members
                        if member.matter_id in shared.keys],
            "errors": errors.get(f"materials.{shared.slot}", []),
        }
        for shared in guide.materials
    ]  # fmt: skip
    fields = [
        {
            "field": shared.form_field,
            "value": answers.get(shared.form_field.key, ""),
            "errors": errors.get(f"answers.{shared.form_field.key}", []),
            "matters": len(shared.matter_ids),
        }
        for shared in guide.fields
    ]
    return {
        "bundle_application": bundle_application,
        "guide": guide,
        "situations": situations,
        "fields": fields,
        "materials": materials,
        "delivery_choices": DeliveryMethod.choices,
        "delivery_method": first.delivery_method if first else "",
        "delivery_address": first.delivery_address if first else "",
        "errors": errors,
        "error_count": sum(len(v) for v in errors.values()),
    }


class BundleFormView(LoginRequiredMixin, View):
    """The one form (一表申请): every matter's situation, the shared fields once, the delivery;
    saving writes every draft; submitting files the cases."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        bundle_application = _bundle_application(request, pk)
        if bundle_application.status != "DRAFT":
            return redirect("bundle-application-detail", pk=pk)
        return render(request, "applications/bundle_form.html", _form_context(bundle_application))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user, now = _user(request), timezone.now()
        bundle_application = _bundle_application(request, pk)
        if bundle_application.status != "DRAFT":
            return redirect("bundle-application-detail", pk=pk)
        guide = bundle_guide(bundle_application.bundle)
        situations = {
            member.matter_id: {
                question.key: str(request.POST.get(f"s-{member.matter_id}-{question.key}", ""))
                for question in member.version.situations.all()
                if request.POST.get(f"s-{member.matter_id}-{question.key}")
            }
            for member in guide.members
        }
        answers = {  # fields the page did not send keep their answers (the identity prefill)
            shared.form_field.key: str(request.POST[f"f-{shared.form_field.key}"]).strip()
            for shared in guide.fields
            if f"f-{shared.form_field.key}" in request.POST
        }
        try:
            bundles.bundle_application_save(
                user=user,
                bundle_application_id=pk,
                now=now,
                situations=situations,
                answers=answers,
                delivery_method=str(request.POST.get("delivery_method", "")),
                delivery_address=str(request.POST.get("delivery_address", "")),
            )
            if "submit" in request.POST:
                bundles.bundle_application_submit(user=user, bundle_application_id=pk, now=now)
                messages.success(
                    request,
                    _("一件事已提交，各部门将同时办理。")
                    if bundle_application.bundle.order_mode == BundleOrder.PARALLEL
                    else _("一件事已提交。前置事项准予后，其余事项将自动提交。"),
                )
                return redirect("bundle-application-detail", pk=pk)
        except SubmissionIncompleteError as exc:
            bundle_application.refresh_from_db()
            context = _form_context(bundle_application, exc.errors)
            return render(request, "applications/bundle_form.html", context, status=400)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("bundle-application-detail", pk=pk)
        messages.success(request, _("已保存。"))
        return redirect("bundle-application-edit", pk=pk)


class BundleMaterialView(LoginRequiredMixin, View):
    """Upload one material of the one set; it is filed with every matter that asks for it."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        bundle_application = _bundle_application(request, pk)
        slot = str(request.POST.get("slot", ""))
        try:
            upload = request.FILES.get("file")
            if upload is None:
                raise UploadRefused(_("请选择要上传的文件。"), code="empty")
            filed = bundles.bundle_material_upload(
                user=_user(request),
                bundle_application_id=bundle_application.pk,
                slot=slot,
                file=upload,
                now=timezone.now(),
            )
        except DomainError as exc:
            context = _form_context(bundle_application, {f"materials.{slot}": [exc.message]})
            return render(request, "applications/bundle_form.html", context, status=400)
        messages.success(
            request, _("材料已上传，同时用于 %(n)d 个事项，无需重复提交。") % {"n": filed}
        )
        return redirect("bundle-application-edit", pk=pk)


class BundleDetailView(LoginRequiredMixin, View):
    """The applicant's one view of a 一件事: every case, the 补正 items, one timeline."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        bundle_application = _bundle_application(request, pk)
        waits = bundle_prerequisites(bundle_application.bundle)
        cases = list(
            bundle_application.cases.select_related("department", "version").order_by("pk")
        )
        by_matter = {case.matter_id: case for case in cases}
        rows = [
            {
                "case": case,
                "state": bundles.bundle_case_state(case, by_matter, waits.get(case.matter_id, ())),
                "waits": [by_matter[m].version.name for m in waits.get(case.matter_id, ())
                          if m in by_matter],
            }
            for case in cases
        ]  # fmt: skip
        told = set(bundle_application.notices_told)
        notices = [
            notice
            for notice in SupplementNotice.objects.filter(
                application__in=cases, status=NoticeStatus.OPEN
            ).select_related("application__department", "application__version")
            if notice.pk in told
        ]
        names = {case.pk: case.version.name for case in cases}
        timeline = [
            {"event": event, "matter": names[event.application_id]}
            for event in ApplicationEvent.objects.filter(application__in=cases)
            .select_related("application__department")
            .order_by("at", "pk")
        ]
        return render(
            request,
            "applications/bundle_detail.html",
            {
                "bundle_application": bundle_application,
                "rows": rows,
                "notices": notices,
                "timeline": timeline,
                "approved": sum(case.outcome == Status.APPROVED for case in cases),
            },
        )
