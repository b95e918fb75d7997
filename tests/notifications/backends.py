"""An e-mail backend whose SMTP server disconnects the first `failures_left` times."""

import smtplib
import time
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend

from core.sms import SmsBackend, SmsError


class FlakySmtpBackend(EmailBackend):
    failures_left = 0

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        if FlakySmtpBackend.failures_left > 0:
            FlakySmtpBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class RefusingSmsBackend(SmsBackend):
    """A provider that refuses every message."""

    def send(self, *, mobile: str, text: str) -> None:
        raise SmsError("quota exceeded")


class SlowSmtpBackend(EmailBackend):
    """An SMTP server that takes a moment to accept, so concurrent sends overlap."""

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        time.sleep(0.2)
        return super().send_messages(messages)
