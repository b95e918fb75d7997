"""URLs of 好差评 beyond the rating page: the follow-up of 差评 on the workbench, the rater's
rating of the outcome, 一次一评 at the window, the SMS link and the public figures.

Included at the site root before the applications' URLs, so `/workbench/cases/<pk>/window-rating/`
is ours and not taken for a case action.
"""

from django.urls import URLPattern, URLResolver, path

from supervision import followup_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("workbench/followups/", followup_views.FollowupListView.as_view(), name="followup-list"),
    path(
        "workbench/followups/<int:pk>/contact-number/",
        followup_views.FollowupContactNumberView.as_view(),
        name="followup-contact-number",
    ),
    path(
        "workbench/followups/appeals/",
        followup_views.FollowupAppealListView.as_view(),
        name="followup-appeals",
    ),
    path(
        "workbench/followups/<int:pk>/",
        followup_views.FollowupDetailView.as_view(),
        name="followup-detail",
    ),
    path(
        "workbench/followups/<int:pk>/<str:action>/",
        followup_views.FollowupActionView.as_view(),
        name="followup-action",
    ),
    path(
        "workbench/cases/<int:pk>/window-rating/",
        views.WindowRatingView.as_view(),
        name="window-rating",
    ),
    path(
        "applications/<int:pk>/rate/outcome/",
        views.FollowupOutcomeView.as_view(),
        name="followup-rate-outcome",
    ),
    path("rate/<str:token>/", views.RateByLinkView.as_view(), name="rate-by-link"),
    path("ratings/", views.PublicRatingsView.as_view(), name="ratings-public"),
]
