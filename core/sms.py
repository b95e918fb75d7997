"""Sending text messages through an adapter chosen by settings.SMS_BACKEND.

It lives in core because two layers send text messages: notifications (办件 news, queued and
retried) and accounts (one-time codes, sent at once and never stored in clear text).

The console and file backends serve development and demos; `LocmemSmsBackend` serves tests (like
Django's locmem e-mail backend). In production a provider's gateway is wrapped in a subclass of
`SmsBackend` whose `send` raises `SmsError` when the provider refuses or cannot be reached, so the
message is retried with backoff.
"""

import json
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from core.identifiers import mask_mobile

__all__ = [
    "ConsoleSmsBackend",
    "FileSmsBackend",
    "LocmemSmsBackend",
    "SmsBackend",
    "SmsError",
    "SmsMessage",
    "get_backend",
    "outbox",
]

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider did not accept the message (unreachable, refused, rate-limited)."""


@dataclass(frozen=True)
class SmsMessage:
    mobile: str
    text: str


class SmsBackend(ABC):
    """What a provider adapter implements."""

    @abstractmethod
    def send(self, *, mobile: str, text: str) -> None:
        """Hand one message to the provider; return once it is accepted.

        :raises SmsError: if the provider does not accept it.
        """


class ConsoleSmsBackend(SmsBackend):
    """Log each message on one line, the mobile masked."""

    def send(self, *, mobile: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_mobile(mobile), " ".join(text.split()))


class FileSmsBackend(SmsBackend):
    """Append each message as one JSON line to settings.SMS_FILE_PATH."""

    def send(self, *, mobile: str, text: str) -> None:
        path = Path(settings.SMS_FILE_PATH)
        line = json.dumps(
            {"mobile": mobile, "text": text, "at": timezone.now().isoformat()}, ensure_ascii=False
        )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as file:
                file.write(line + "\n")
        except OSError as exc:
            raise SmsError(type(exc).__name__) from exc


# Messages "sent" by LocmemSmsBackend, oldest first; tests clear it.
outbox: list[SmsMessage] = []


class LocmemSmsBackend(SmsBackend):
    """Keep messages in `core.sms.outbox` (for tests)."""

    def send(self, *, mobile: str, text: str) -> None:
        outbox.append(SmsMessage(mobile=mobile, text=text))


def get_backend() -> SmsBackend:
    """Return an instance of the backend named by settings.SMS_BACKEND.

    :raises ImproperlyConfigured: if that class is not an `SmsBackend`.
    """
    backend_class = import_string(settings.SMS_BACKEND)
    if not (isinstance(backend_class, type) and issubclass(backend_class, SmsBackend)):
        raise ImproperlyConfigured(f"SMS_BACKEND {settings.SMS_BACKEND} is not an SmsBackend")
    return backend_class()
