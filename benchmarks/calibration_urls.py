"""The portal's URLs plus two calibration views measured in the same run as the real pages.

* ``/bench/json``: a plain JsonResponse behind the full middleware stack (C_json);
* ``/bench/db/<pk>``: one indexed SELECT of a Matter by primary key, rendered as small JSON
  (the 1-query ceiling).
"""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from matters.models import Matter


def bench_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"message": "Hello, World!"})


def bench_db(request: HttpRequest, pk: int) -> JsonResponse:
    matter = Matter.objects.get(pk=pk)
    return JsonResponse(
        {"id": matter.pk, "code": matter.implementation_code, "popularity": matter.popularity}
    )


urlpatterns = [
    path("bench/json", bench_json),
    path("bench/db/<int:pk>", bench_db),
    path("", include("portal.urls")),
]
