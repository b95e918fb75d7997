"""The inbox pages: the list of a user's messages, one message, and "mark all read".

Each view parses the request, makes one domain call and renders (STYLE R1).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from accounts.models import User
from notifications import selectors, services
from notifications.models import Notification

PAGE_SIZE = 20


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # guaranteed by LoginRequiredMixin
    return request.user


@method_decorator(never_cache, name="dispatch")
class InboxListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        paginator = Paginator(selectors.inbox_list_for_user(user=_user(request)), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        context = {
            "page": page,
            "pages": paginator.num_pages,
            "page_number": page.number,
            "previous_url": f"?page={page.previous_page_number()}" if page.has_previous() else "",
            "next_url": f"?page={page.next_page_number()}" if page.has_next() else "",
        }
        return render(request, "notifications/inbox.html", context)


@method_decorator(never_cache, name="dispatch")
class InboxDetailView(LoginRequiredMixin, View):
    """Opening a message marks it read; someone else's message is a 404."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            notification = services.inbox_mark_read(
                user=_user(request), notification_id=pk, now=timezone.now()
            )
        except Notification.DoesNotExist:
            raise Http404 from None
        return render(request, "notifications/detail.html", {"notification": notification})


class InboxReadAllView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        services.inbox_mark_all_read(user=_user(request), now=timezone.now())
        messages.success(request, _("所有消息已标记为已读。"))
        return redirect("notifications:inbox")
