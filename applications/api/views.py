"""The applications API. Citizens: drafts, uploads, submit, withdraw, their list and detail with
the timeline. Staff: one POST per transition (STYLE R13). Every view makes one domain call."""

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from applications import services
from applications.api import serializers as io
from applications.models import Application, ApplicationEvent, ApplicationMaterial
from applications.permissions import access_application_for_applicant
from applications.selectors.citizen import application_list_for_applicant
from core.idempotency import IdempotentApiMixin
from matters.models import Matter


def _user(request: Request) -> User:
    assert isinstance(request.user, User)  # guaranteed by IsAuthenticated
    return request.user


def _detail(application_id: int, user: User) -> Application:
    """The applicant's application with what the detail shows (404 if it is not theirs)."""
    return _with_detail(access_application_for_applicant(user=user, application_id=application_id))


def _with_detail(application: Application) -> Application:
    """Fetch the rows the detail shows onto an application already read (and access-checked)."""
    prefetch_related_objects(
        [application],
        Prefetch("materials", queryset=ApplicationMaterial.objects.order_by("material_key", "pk")),
        Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "pk")),
    )
    return application


class PrivateApi(IdempotentApiMixin, APIView):
    """Personal data: never stored by browsers or proxies. Every unsafe handler of a subclass
    honours the `Idempotency-Key` header (core.idempotency)."""

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        response["Cache-Control"] = "private, no-store"
        return response


class ApplicationListApi(PrivateApi, generics.GenericAPIView[Application]):
    """The signed-in applicant's applications; POST starts a draft (idempotent with client_key)."""

    permission_classes = (IsAuthenticated,)
    serializer_class = io.ApplicationSummarySerializer

    def get_queryset(self) -> QuerySet[Application]:
        return application_list_for_applicant(user=_user(self.request)).select_related("matter")

    @extend_schema(summary="List my applications", operation_id="applications_list")
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=io.DraftCreateSerializer,
        responses={201: io.ApplicationDetailSerializer},
        summary="Start a draft application",
    )
    def post(self, request: Request) -> Response:
        data = io.DraftCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        matter = Matter.objects.get(implementation_code=data.validated_data["matter"].upper())
        application = services.application_draft_create(
            applicant=_user(request),
            matter_id=matter.pk,
            now=timezone.now(),
            client_key=data.validated_data["client_key"],
        )
        return Response(
            io.ApplicationDetailSerializer(_with_detail(application)).data,
            status=status.HTTP_201_CREATED,
        )


class ApplicationDetailApi(PrivateApi):
    """One of my applications with its answers, materials, deadlines and timeline; PATCH saves
    the draft."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(responses=io.ApplicationDetailSerializer, summary="My application")
    def get(self, request: Request, pk: int) -> Response:
        return Response(io.ApplicationDetailSerializer(_detail(pk, _user(request))).data)

    @extend_schema(
        request=io.DraftUpdateSerializer,
        responses=io.ApplicationDetailSerializer,
        summary="Save the draft",
    )
    def patch(self, request: Request, pk: int) -> Response:
        data = io.DraftUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_draft_update(
            user=_user(request), application_id=pk, now=timezone.now(), **data.validated_data
        )
        return Response(io.ApplicationDetailSerializer(_with_detail(application)).data)


class ApplicationMaterialApi(PrivateApi):
    """Upload a material (multipart), or choose 容缺后补 / 告知承诺 for it."""

    permission_classes = (IsAuthenticated,)
    parser_classes = (MultiPartParser, FormParser, JSONParser)

    @extend_schema(
        request={"multipart/form-data": io.MaterialInputSerializer},
        responses={201: io.MaterialOutputSerializer},
        summary="Provide a material",
    )
    def post(self, request: Request, pk: int) -> Response:
        data = io.MaterialInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values.get("file"):
            material = services.application_material_upload(
                user=_user(request),
                application_id=pk,
                material_key=values["material_key"],
                file=values["file"],
                now=timezone.now(),
            )
        else:
            material = services.application_material_choose(
                user=_user(request),
                application_id=pk,
                material_key=values["material_key"],
                source=values["alternative"],
                now=timezone.now(),
            )
        return Response(io.MaterialOutputSerializer(material).data, status=status.HTTP_201_CREATED)


def _applicant_action(
    name: str,
    summary: str,
    input_class: type[serializers.Serializer[Any]],
    call: Callable[..., Application],
) -> type[APIView]:
    """One POST endpoint for one applicant action."""

    @extend_schema(request=input_class, responses=io.ApplicationSummarySerializer, summary=summary)
    def post(self: APIView, request: Request, pk: int) -> Response:
        data = input_class(data=request.data)
        data.is_valid(raise_exception=True)
        application = call(
            user=_user(request), application_id=pk, now=timezone.now(), **data.validated_data
        )
        # The state afterwards; the full detail (timeline, materials) is one GET away.
        return Response(io.ApplicationSummarySerializer(application).data)

    return type(name, (PrivateApi,), {"permission_classes": (IsAuthenticated,), "post": post})


ApplicationSubmitApi = _applicant_action(
    "ApplicationSubmitApi",
    "Submit my draft (idempotent)",
    io.EmptySerializer,
    services.application_submit,
)
ApplicationWithdrawApi = _applicant_action(
    "ApplicationWithdrawApi",
    "Withdraw my application",
    io.ReasonSerializer,
    services.application_withdraw,
)
ApplicationSupplementApi = _applicant_action(
    "ApplicationSupplementApi",
    "Resubmit after a supplement notice",
    io.SupplementAnswerSerializer,
    services.application_supplement_answer,
)


def _case_action(
    name: str,
    summary: str,
    input_class: type[serializers.Serializer[Any]],
    call: Callable[..., object],
    *,
    rename: dict[str, str] | None = None,
) -> type[APIView]:
    """One POST endpoint per workflow transition for staff; 409 when someone acted first."""

    @extend_schema(request=input_class, responses=io.CaseStateSerializer, summary=summary)
    def post(self: APIView, request: Request, pk: int) -> Response:
        data = input_class(data=request.data)
        data.is_valid(raise_exception=True)
        values = {(rename or {}).get(k, k): v for k, v in data.validated_data.items()}
        call(user=_user(request), application_id=pk, now=timezone.now(), **values)
        # nosemgrep: tongban-view-get-by-pk -- call() above went through access_application_for_*()
        return Response(io.CaseStateSerializer(Application.objects.get(pk=pk)).data)

    return type(name, (PrivateApi,), {"permission_classes": (IsAuthenticated,), "post": post})


CASE_ACTIONS: dict[str, type[APIView]] = {
    "claim": _case_action("CaseClaimApi", "Claim the case", io.EmptySerializer, services.application_claim),
    "assign": _case_action(
        "CaseAssignApi", "Assign the case", io.AssignSerializer, services.application_assign,
        rename={"assignee": "assignee_id"},
    ),
    "accept": _case_action("CaseAcceptApi", "Accept (受理)", io.OpinionSerializer, services.application_accept),
    "not-accept": _case_action(
        "CaseNotAcceptApi", "Do not accept (不予受理)", io.NotAcceptSerializer, services.application_not_accept
    ),
    "request-supplement": _case_action(
        "CaseSupplementRequestApi",
        "Request supplements, all at once (一次性告知)",
        io.SupplementRequestSerializer,
        services.application_supplement_request,
    ),
    "pass": _case_action(
        "CaseStepPassApi", "Pass the current review step", io.OpinionSerializer, services.application_step_pass
    ),
    "send-back": _case_action(
        "CaseSendBackApi", "Send back one step", io.ReasonSerializer, services.application_send_back
    ),
    "suspend": _case_action(
        "CaseSuspendApi", "Start a special procedure", io.SuspendSerializer, services.application_suspend
    ),
    "resume": _case_action(
        "CaseResumeApi", "End the special procedure", io.ResumeSerializer, services.application_resume
    ),
    "extend": _case_action(
        "CaseExtendApi", "Extend the decision period once", io.ExtendSerializer, services.application_extend
    ),
    "approve": _case_action(
        "CaseApproveApi", "Approve (准予许可)", io.OpinionSerializer, services.application_approve
    ),
    "reject": _case_action(
        "CaseRejectApi", "Refuse (不予许可)", io.ReasonSerializer, services.application_reject
    ),
    "deliver": _case_action(
        "CaseDeliverApi", "Deliver and complete", io.DeliverSerializer, services.application_deliver,
        rename={"delivery_method": "method"},
    ),
    "void": _case_action("CaseVoidApi", "Void the case (作废)", io.ReasonSerializer, services.application_void),
}  # fmt: skip
