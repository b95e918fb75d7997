from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from certificates.services import signing_keys_ensure
from matters.models import Department


class Command(BaseCommand):
    help = (
        "Create the demo root certificate and an e-seal signing key and certificate for every "
        "department that has none (idempotent). Production keys come from the national e-seal system."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        made = signing_keys_ensure(
            departments=list(Department.objects.order_by("pk")), now=timezone.now()
        )
        self.stdout.write(f"Signing keys created: {made}.")
