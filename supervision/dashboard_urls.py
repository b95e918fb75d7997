"""URLs of the 电子监察 dashboard and the yellow and red cards (mounted at /supervision/)."""

from django.urls import URLPattern, URLResolver, path

from supervision import dashboard_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboard/", dashboard_views.DashboardView.as_view(), name="supervision-dashboard"),
    path(
        "dashboard.csv",
        dashboard_views.DashboardCsvView.as_view(),
        name="supervision-dashboard-csv",
    ),
    path("alerts/", dashboard_views.AlertListView.as_view(), name="supervision-alerts"),
    path(
        "alerts/<int:pk>/respond/",
        dashboard_views.AlertRespondView.as_view(),
        name="supervision-alert-respond",
    ),
]
