"""The base of every staff (workbench) page, whichever app serves it."""

from typing import Any, ClassVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.models import User
from matters.permissions import is_staff_member


@method_decorator(never_cache, name="dispatch")
class StaffPageMixin(LoginRequiredMixin):
    """Signed-in staff only (a citizen gets 404: the workbench is not theirs to find). An object
    outside the user's departments (`not_found`) is 404; an action of another role is a 403 page."""

    login_url = "sign-in"
    not_found: ClassVar[tuple[type[Exception], ...]] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if isinstance(user, User) and not is_staff_member(user):
            raise Http404
        try:
            return super().dispatch(request, *args, **kwargs)
        except self.not_found:
            raise Http404 from None
        except PermissionDenied as exc:
            message = str(exc) or _("您没有执行该操作的权限。")
            return render(
                request, "applications/staff/forbidden.html", {"message": message}, status=403
            )
