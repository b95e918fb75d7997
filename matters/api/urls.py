from django.urls import path

from matters.api import views

urlpatterns = [
    path("matters/", views.MatterListApi.as_view(), name="api-matter-list"),
    path(
        "matters/<str:implementation_code>/",
        views.MatterDetailApi.as_view(),
        name="api-matter-detail",
    ),
    path("topics/", views.TopicListApi.as_view(), name="api-topic-list"),
    path("life-events/", views.LifeEventListApi.as_view(), name="api-life-event-list"),
    path("departments/", views.DepartmentListApi.as_view(), name="api-department-list"),
    path("regions/", views.RegionListApi.as_view(), name="api-region-list"),
]
