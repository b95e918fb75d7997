"""My companies (法人) and proxies (代办): who I act for and who acts for me."""

from django.urls import URLPattern, path

from accounts import mandate_views as views

urlpatterns: list[URLPattern] = [
    path("companies/", views.CompaniesView.as_view(), name="companies"),
    path("companies/register/", views.CompanyRegisterView.as_view(), name="company-register"),
    path("companies/<int:pk>/agents/add/", views.AgentAddView.as_view(), name="company-agent-add"),
    path("proxies/", views.ProxiesView.as_view(), name="proxies"),
    path("proxies/add/", views.ProxyAddView.as_view(), name="proxy-add"),
    path("mandates/<int:pk>/revoke/", views.MandateRevokeView.as_view(), name="mandate-revoke"),
]
