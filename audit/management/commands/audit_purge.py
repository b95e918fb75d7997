from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.services import audit_purge


class Command(BaseCommand):
    help = "Delete audit events older than AUDIT_RETENTION_DAYS (at least 180 days)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            deleted = audit_purge(now=timezone.now())
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        days = settings.AUDIT_RETENTION_DAYS
        self.stdout.write(f"Deleted {deleted} audit events older than {days} days")
