from typing import Any

from django.core.management.base import BaseCommand

from matters.models import Matter
from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the demo catalogue and one demo account per role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
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
