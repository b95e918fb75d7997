"""好差评: rating pages."""

from django.urls import URLPattern, path

from supervision import views

urlpatterns: list[URLPattern] = [
    path(
        "applications/<int:pk>/rate/", views.EvaluationView.as_view(), name="application-evaluate"
    ),
]
