"""The client's address as the portal records it (audit entries, verification logs, rate limits)."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address of whoever sent `request`.

    Behind a proxy every request comes from the proxy, so settings.CLIENT_IP_META_KEY (e.g.
    HTTP_X_REAL_IP behind nginx) names the header the proxy sets; the rate limits use this too.
    A value that is not an IP address is ignored in favour of the connection's own address, so a
    bad header is never stored.
    """
    for key in (settings.CLIENT_IP_META_KEY, "REMOTE_ADDR"):
        value = str(request.META.get(key) or "").strip()
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            continue
    return None


def ratelimit_ip(request: HttpRequest) -> str:
    """settings.RATELIMIT_IP_META_KEY: django-ratelimit counts per `client_ip`."""
    return client_ip(request) or "0.0.0.0"  # noqa: S104  # nosec B104  # a key to count under, never bound
