"""The catalogue API: read-only, public, paginated."""

from django.db.models import QuerySet
from django.utils.decorators import method_decorator

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from matters import selectors
from matters.api.serializers import (
    DepartmentSerializer,
    LifeEventSerializer,
    MatterGuideSerializer,
    MatterSummarySerializer,
    RegionSerializer,
    TopicSerializer,
)
from matters.caching import public_page
from matters.choices import Audience
from matters.models import Department, LifeEvent, MatterVersion, Region, Topic
from matters.search import SearchFilters


class MatterListFilterSerializer(serializers.Serializer[None]):
    search = serializers.CharField(required=False, allow_blank=True, max_length=50)
    topic = serializers.CharField(required=False, max_length=32, help_text="主题编码")
    life_event = serializers.CharField(required=False, max_length=32, help_text="人生事件编码")
    department = serializers.CharField(
        required=False, max_length=18, help_text="部门统一社会信用代码"
    )
    audience = serializers.ChoiceField(required=False, choices=Audience.choices)
    page = serializers.IntegerField(required=False, min_value=1, max_value=10_000, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)


@extend_schema(
    parameters=[MatterListFilterSerializer],
    responses=MatterSummarySerializer(many=True),
    summary="List or search published matters",
)
@method_decorator(public_page, name="get")
class MatterListApi(generics.GenericAPIView[MatterVersion]):
    """Published matters, ranked by relevance with `search`, else by popularity."""

    # nosemgrep: tongban-allow-any -- the published catalogue is public
    permission_classes = (AllowAny,)
    serializer_class = MatterSummarySerializer
    pagination_class = PageNumberPagination

    def get(self, request: Request) -> Response:
        params = MatterListFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = SearchFilters(
            topic_id=_id_of(Topic.objects.filter(code=data["topic"])) if "topic" in data else None,
            life_event_id=_id_of(LifeEvent.objects.filter(code=data["life_event"]))
            if "life_event" in data
            else None,
            department_id=_id_of(Department.objects.filter(uscc=data["department"].upper()))
            if "department" in data
            else None,
            audience=data.get("audience"),
        )
        page_number, page_size = data["page"], data["page_size"]
        page = selectors.matter_list_for_public(
            query=data.get("search", ""),
            filters=filters,
            offset=(page_number - 1) * page_size,
            limit=page_size,
        )
        base = request.build_absolute_uri(request.path)
        query = request.query_params.copy()

        def link(number: int) -> str | None:
            if number < 1 or (number - 1) * page_size >= page.total:
                return None
            query["page"] = str(number)
            return f"{base}?{query.urlencode()}"

        return Response(
            {
                "count": page.total,
                "next": link(page_number + 1),
                "previous": link(page_number - 1),
                "results": MatterSummarySerializer(page.cards, many=True).data,
            }
        )


def _id_of(qs: QuerySet[Topic] | QuerySet[LifeEvent] | QuerySet[Department]) -> int:
    """The id of the one row a filter names, or -1 so that an unknown code matches nothing."""
    found = qs.values_list("pk", flat=True).first()
    return int(found) if found is not None else -1


@extend_schema(summary="A matter's full guide", responses=MatterGuideSerializer)
@method_decorator(public_page, name="get")
class MatterDetailApi(generics.GenericAPIView[MatterVersion]):
    # nosemgrep: tongban-allow-any -- the published catalogue is public
    permission_classes = (AllowAny,)
    serializer_class = MatterGuideSerializer

    def get(self, request: Request, implementation_code: str) -> Response:
        version = selectors.matter_guide_for_public(
            implementation_code=implementation_code, with_groupings=True
        )
        return Response(MatterGuideSerializer(version).data)


@extend_schema_view(
    get=extend_schema(
        parameters=[OpenApiParameter("audience", OpenApiTypes.STR, enum=Audience.values)],
        summary="Topics",
    )
)
class TopicListApi(generics.ListAPIView[Topic]):
    # nosemgrep: tongban-allow-any -- the published catalogue is public
    permission_classes = (AllowAny,)
    serializer_class = TopicSerializer

    def get_queryset(self) -> QuerySet[Topic]:
        audience = self.request.query_params.get("audience")
        return selectors.topic_list_for_public(
            audience=audience if audience in Audience.values else None
        )


@extend_schema_view(
    get=extend_schema(
        parameters=[OpenApiParameter("audience", OpenApiTypes.STR, enum=Audience.values)],
        summary="Life events",
    )
)
class LifeEventListApi(generics.ListAPIView[LifeEvent]):
    # nosemgrep: tongban-allow-any -- the published catalogue is public
    permission_classes = (AllowAny,)
    serializer_class = LifeEventSerializer

    def get_queryset(self) -> QuerySet[LifeEvent]:
        audience = self.request.query_params.get("audience")
        return selectors.life_event_list_for_public(
            audience=audience if audience in Audience.values else None
        )


@extend_schema_view(get=extend_schema(summary="Departments that implement published matters"))
class DepartmentListApi(generics.ListAPIView[Department]):
    # nosemgrep: tongban-allow-any -- the published catalogue is public
    permission_classes = (AllowAny,)
    serializer_class = DepartmentSerializer

    def get_queryset(self) -> QuerySet[Department]:
        return selectors.department_list_for_public()


@extend_schema_view(get=extend_schema(summary="Administrative regions"))
class RegionListApi(generics.ListAPIView[Region]):
    # nosemgrep: tongban-allow-any -- the published catalogue is public
    permission_classes = (AllowAny,)
    serializer_class = RegionSerializer

    def get_queryset(self) -> QuerySet[Region]:
        return selectors.region_list()
