"""URLs of the clerk workbench (mounted at /workbench/)."""

from django.urls import URLPattern, path

from applications.views import staff

urlpatterns: list[URLPattern] = [
    path("", staff.QueueView.as_view(), name="workbench-queue"),
    path("cases/<int:pk>/", staff.CaseView.as_view(), name="workbench-case"),
    path("cases/<int:pk>/reveal/", staff.CaseRevealView.as_view(), name="workbench-case-reveal"),
    path("cases/<int:pk>/receipt/", staff.ReceiptView.as_view(), name="workbench-receipt"),
    path(
        "cases/<int:pk>/materials/<int:material_id>/",
        staff.MaterialDownloadView.as_view(),
        name="workbench-material",
    ),
    path(
        "cases/<int:pk>/<str:action>/",
        staff.CaseActionView.as_view(),
        name="workbench-case-action",
    ),
    path("file/", staff.FilingMatterListView.as_view(), name="workbench-file"),
    path("file/<int:matter_id>/", staff.FilingView.as_view(), name="workbench-file-matter"),
]
