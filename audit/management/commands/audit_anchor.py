from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.services import audit_anchor_write


class Command(BaseCommand):
    help = "Append the audit chain's head (seq, hash), signed with AUDIT_ANCHOR_KEY, to AUDIT_ANCHOR_PATH."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            anchor = audit_anchor_write(now=timezone.now())
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Anchored seq {anchor.seq} ({anchor.hash[:16]}…) at {anchor.ts}")
