"""The staff second factor (django-otp TOTP), required for every staff account."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class StaffTwoFactorMiddleware:
    """Placeholder: sends staff who have not passed the second factor to it (to be built)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
