"""The inbox, mounted at /inbox/."""

from django.urls import URLPattern, path

from notifications import views

app_name = "notifications"

urlpatterns: list[URLPattern] = [
    path("", views.InboxListView.as_view(), name="inbox"),
    path("<int:pk>/", views.InboxDetailView.as_view(), name="inbox-detail"),
    path("read-all/", views.InboxReadAllView.as_view(), name="inbox-read-all"),
]
