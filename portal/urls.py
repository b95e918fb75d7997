"""Root URLs: site pages, the catalogue, the API with its OpenAPI schema, and the admin."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from portal import views

admin.site.site_header = _("通办 · 一网通办管理后台")
admin.site.site_title = _("通办管理后台")
admin.site.index_title = _("管理")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("healthz", views.HealthView.as_view(), name="health"),
    path("language/<str:code>/", views.LanguageView.as_view(), name="language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("matters.urls")),
    path("accounts/", include("accounts.urls")),
    path("my/", include("portal.centre_urls")),
    path("my/", include("accounts.mandate_urls")),
    path("", include("supervision.urls")),
    path("inbox/", include("notifications.urls")),
    path("", include("applications.urls")),
    path("", include("certificates.urls")),
    path("api/v1/", include("matters.api.urls")),
    path("api/v1/", include("applications.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    # Development only, and only the catalogue's public files (blank forms, samples): uploads and
    # certificates are served solely by views that check who is asking.
    urlpatterns += static(
        f"{settings.MEDIA_URL}matters/", document_root=f"{settings.MEDIA_ROOT}/matters"
    )

handler500 = "portal.views.server_error"
