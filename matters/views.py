"""Public pages of the catalogue: browse lists, the guide page and the one-time notice."""

import math
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.views import View

from matters import notice, selectors, snapshots
from matters.bundles import bundle_guide, bundles_for_public
from matters.caching import public_page
from matters.choices import Audience
from matters.forms import MatterFilterForm
from matters.models import Bundle
from matters.presentation import guide_context
from matters.rendering import render_notice

PAGE_SIZE = 20


def listing_context(request: HttpRequest) -> dict[str, Any]:
    """Parse the filters, fetch one page and say what is being shown; shared with site search."""
    form = MatterFilterForm(request.GET)
    filters = form.filters()
    page_number = form.page_number()
    page = selectors.matter_list_for_public(
        query=form.query(), filters=filters, offset=(page_number - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    pages = max(1, math.ceil(page.total / PAGE_SIZE))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    heading_parts = selectors.filter_labels(filters=filters)
    return {
        "form": form,
        "query": form.query(),
        "cards": page.cards,
        "total_is_estimate": page.total_is_estimate,
        "total": page.total,
        "page_number": page_number,
        "pages": pages,
        "previous_url": f"?{urlencode({**params, 'page': page_number - 1})}"
        if page_number > 1
        else "",
        "next_url": f"?{urlencode({**params, 'page': page_number + 1})}"
        if page_number < pages
        else "",
        "heading_parts": heading_parts,
        "filters": filters,
    }


@method_decorator(public_page, name="get")
class MatterListView(View):
    """Browse visible matters by topic, life event, department and audience, or search them."""

    def get(self, request: HttpRequest) -> HttpResponse:
        context = listing_context(request)
        context["topics"] = selectors.topic_list_for_public()
        context["departments"] = selectors.department_list_for_public()
        return render(request, "matters/list.html", context)


@method_decorator(public_page, name="get")
class DepartmentListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "matters/departments.html",
            {"departments": selectors.department_list_for_public()},
        )


@method_decorator(public_page, name="get")
class BundleListView(View):
    """一件事一次办: the published bundles, for people and for companies."""

    def get(self, request: HttpRequest) -> HttpResponse:
        audience = request.GET.get("audience", "")
        bundles = bundles_for_public(audience=audience or None)
        return render(
            request,
            "matters/bundle_list.html",
            {"bundles": bundles, "audience": audience, "audiences": Audience.choices},
        )


@method_decorator(public_page, name="get")
class BundleGuideView(View):
    """One 一件事: its matters and departments, the one set of materials, the promised time."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        bundle = get_object_or_404(
            Bundle.objects.select_related("lead_department"), code=code, is_published=True
        )
        return render(request, "matters/bundle_guide.html", {"guide": bundle_guide(bundle)})


@method_decorator(public_page, name="get")
class MatterGuideView(View):
    """The 办事指南 page. The body is rendered once per published version and language, and stored
    (matters/snapshots.py); a visit reads it with one query and wraps it in the site's frame."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        page = snapshots.guide_page_for_public(
            implementation_code=code, language=translation.get_language()
        )
        return render(
            request,
            "matters/guide.html",
            {"body": page.body, "title": page.name, "code": code.upper()},
        )


@method_decorator(public_page, name="get")
class NoticeView(View):
    """一次性告知书 for the situation the applicant describes (answers in the query string)."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        version = selectors.matter_guide_for_public(implementation_code=code)
        context: dict[str, Any] = {
            "version": version,
            "answers": request.GET,
            **guide_context(version),
        }
        if request.GET or not version.situations.all():
            try:
                chosen = notice.answers_parse(version, request.GET)
            except notice.AnswersIncompleteError as exc:
                context["errors"] = exc.errors if request.GET else {}
            else:
                context["notice"] = notice.notice_build(version, chosen, today=timezone.localdate())
                context["pdf_query"] = urlencode(dict(request.GET.items()))
        status = 400 if context.get("errors") else 200
        return render(request, "matters/notice.html", context, status=status)


class NoticePdfView(View):
    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        version = selectors.matter_guide_for_public(implementation_code=code)
        try:
            chosen = notice.answers_parse(version, request.GET)
        except notice.AnswersIncompleteError as exc:
            return render(
                request, "matters/notice.html",
                {"version": version, "answers": request.GET, "errors": exc.errors, **guide_context(version)},
                status=400,
            )  # fmt: skip
        one_time = notice.notice_build(version, chosen, today=timezone.localdate())
        _html, pdf = render_notice(one_time)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="notice-{version.matter.implementation_code}.pdf"'
        )
        return response
