"""URLs of the citizen pages."""

from django.urls import URLPattern, path

from applications.views import bundles, citizen

urlpatterns: list[URLPattern] = [
    path("matters/<str:code>/apply/", citizen.ApplyStartView.as_view(), name="apply-start"),
    path("my/applications/", citizen.MyApplicationsView.as_view(), name="my-applications"),
    path("bundles/<slug:code>/apply/", bundles.BundleApplyView.as_view(), name="bundle-apply"),
    path(
        "my/bundles/<int:pk>/", bundles.BundleDetailView.as_view(), name="bundle-application-detail"
    ),
    path(
        "my/bundles/<int:pk>/edit/",
        bundles.BundleFormView.as_view(),
        name="bundle-application-edit",
    ),
    path(
        "my/bundles/<int:pk>/materials/",
        bundles.BundleMaterialView.as_view(),
        name="bundle-application-material",
    ),
    path(
        "applications/<int:pk>/", citizen.ApplicationDetailView.as_view(), name="application-detail"
    ),
    path(
        "applications/<int:pk>/apply/<str:step>/",
        citizen.ApplicationStepView.as_view(),
        name="application-step",
    ),
    path(
        "applications/<int:pk>/check/",
        citizen.ApplicationCheckView.as_view(),
        name="application-check",
    ),
    path(
        "applications/<int:pk>/submitted/",
        citizen.ApplicationConfirmationView.as_view(),
        name="application-confirmation",
    ),
    path(
        "applications/<int:pk>/materials/",
        citizen.ApplicationMaterialView.as_view(),
        name="application-material",
    ),
    path(
        "applications/<int:pk>/materials/<int:material_id>/",
        citizen.ApplicantMaterialDownloadView.as_view(),
        name="application-material-download",
    ),
    path(
        "applications/<int:pk>/resubmit/",
        citizen.ApplicationResubmitView.as_view(),
        name="application-resubmit",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        citizen.ApplicationWithdrawView.as_view(),
        name="application-withdraw",
    ),
    path(
        "applications/<int:pk>/discard/", citizen.DraftDiscardView.as_view(), name="draft-discard"
    ),
    path(
        "applications/<int:pk>/certificate/",
        citizen.ApplicationCertificateStatusView.as_view(),
        name="application-certificate",
    ),
    path("track/", citizen.TrackView.as_view(), name="track"),
]
