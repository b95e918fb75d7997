from django.urls import path

from matters import views

urlpatterns = [
    path("matters/", views.MatterListView.as_view(), name="matter-list"),
    path("departments/", views.DepartmentListView.as_view(), name="department-list"),
    path("bundles/", views.BundleListView.as_view(), name="bundle-list"),
    path("bundles/<slug:code>/", views.BundleGuideView.as_view(), name="bundle-guide"),
    path("matters/<str:code>/", views.MatterGuideView.as_view(), name="matter-guide"),
    path("matters/<str:code>/notice/", views.NoticeView.as_view(), name="matter-notice"),
    path("matters/<str:code>/notice.pdf", views.NoticePdfView.as_view(), name="matter-notice-pdf"),
]
