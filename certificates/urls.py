"""Certificate pages: public verification and share links, the holder's wallet, staff pages."""

from django.urls import path

from certificates.views import public, staff, wallet

app_name = "certificates"

urlpatterns = [
    path("verify/", public.CertificateVerifyView.as_view(), name="verify"),
    path("verify/file/", public.CertificateVerifyFileView.as_view(), name="verify-file"),
    path("share/<str:token>/", public.SharedCertificateView.as_view(), name="shared"),
    path("share/<str:token>/pdf/", public.SharedCertificateDownloadView.as_view(), name="shared-download"),
    path("my/certificates/", wallet.WalletView.as_view(), name="wallet"),
    path("my/certificates/<int:pk>/", wallet.WalletDetailView.as_view(), name="wallet-detail"),
    path("my/certificates/<int:pk>/download/", wallet.WalletDownloadView.as_view(), name="wallet-download"),
    path("my/certificates/<int:pk>/share/", wallet.ShareCreateView.as_view(), name="share-create"),
    path("my/shares/<int:pk>/revoke/", wallet.ShareRevokeView.as_view(), name="share-revoke"),
    path("workbench/certificates/", staff.StaffCertificateListView.as_view(), name="staff-list"),
    path("workbench/certificates/<int:pk>/", staff.StaffCertificateDetailView.as_view(), name="staff-detail"),
    path("workbench/certificates/<int:pk>/revoke/", staff.StaffCertificateRevokeView.as_view(), name="staff-revoke"),
    path("workbench/certificates/<int:pk>/retry/", staff.StaffCertificateRetryView.as_view(), name="staff-retry"),
    path("workbench/certificate-types/<int:pk>/preview/", staff.CertificateTypePreviewView.as_view(), name="type-preview"),
]  # fmt: skip
