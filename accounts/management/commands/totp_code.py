"""Print the current second-factor code of a demo staff account (demo and development only)."""

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from django_otp.oath import TOTP

from accounts.models import User
from accounts.two_factor import confirmed_device


class Command(BaseCommand):
    help = (
        "Print the current TOTP code of a staff account's authenticator (DEBUG or TONGBAN_DEMO=1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or os.environ.get("TONGBAN_DEMO") == "1"):
            raise CommandError("Only for demo and development machines (DEBUG or TONGBAN_DEMO=1).")
        user = User.objects.filter(username=options["username"]).first()
        device = confirmed_device(user) if user else None
        if device is None:
            raise CommandError("No enrolled authenticator: sign in once and enrol it first.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
