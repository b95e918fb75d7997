from django.urls import URLPattern, path

from applications.api import views

urlpatterns: list[URLPattern] = [
    path("applications/", views.ApplicationListApi.as_view(), name="api-application-list"),
    path(
        "applications/<int:pk>/",
        views.ApplicationDetailApi.as_view(),
        name="api-application-detail",
    ),
    path(
        "applications/<int:pk>/materials/",
        views.ApplicationMaterialApi.as_view(),
        name="api-application-materials",
    ),
    path(
        "applications/<int:pk>/submit/",
        views.ApplicationSubmitApi.as_view(),
        name="api-application-submit",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        views.ApplicationWithdrawApi.as_view(),
        name="api-application-withdraw",
    ),
    path(
        "applications/<int:pk>/supplement/",
        views.ApplicationSupplementApi.as_view(),
        name="api-application-supplement",
    ),
    *(
        path(f"cases/<int:pk>/{action}/", view.as_view(), name=f"api-case-{action}")
        for action, view in views.CASE_ACTIONS.items()
    ),
]
