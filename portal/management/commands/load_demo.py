import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from matters.models import Matter
from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo catalogue and one demo account per role (idempotent). "
        "Only on demo and development machines (DEBUG or TONGBAN_DEMO=1)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo accounts share a password printed in the README, and one is a superuser:
        # never on a production database by mistake.
        if not (settings.DEBUG or os.environ.get("TONGBAN_DEMO") == "1"):
            raise CommandError(
                "Only for demo and development machines (DEBUG or TONGBAN_DEMO=1): "
                "the demo accounts' password is public."
            )
        report = demo_load()
        if report is None:
            self.stdout.write(f"Demo catalogue already loaded ({Matter.objects.count()} matters).")
        else:
            self.stdout.write(
                f"Demo catalogue: {report.matters} matters, {report.departments} departments."
            )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<11} {account.description}")
