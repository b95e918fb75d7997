from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from applications.retention import applications_anonymise_due, retention_cutoff


class Command(BaseCommand):
    help = (
        "Anonymise cases closed longer ago than APPLICATION_RETENTION_DAYS: identity masked or "
        "emptied, personal answers cleared, uploaded files deleted; the trail and audit rows stay."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=None, help="Cases selected per round."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        report = applications_anonymise_due(now=now, batch_size=options["batch_size"])
        self.stdout.write(
            f"{report.cases} cases closed before {retention_cutoff(now=now):%Y-%m-%d} anonymised, "
            f"{report.files_deleted} files deleted."
        )
