"""Rebuild the daily figures of the dashboards for a period (after an import or a data fix; the
beat job keeps only today and yesterday current)."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.calendar import local_date
from supervision.statistics import statistics_refresh


class Command(BaseCommand):
    help = "Rewrite the daily supervision figures from --since (default: 365 days ago) to today."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="first day, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        today = local_date(now)
        try:
            since = (
                dt.date.fromisoformat(options["since"])
                if options["since"]
                else today - dt.timedelta(days=365)
            )
        except ValueError:
            raise CommandError("--since must be a date such as 2025-01-01") from None
        if since > today:
            raise CommandError("--since must not be after today")
        rows = statistics_refresh(start=since, end=today, now=now)
        self.stdout.write(f"{rows} daily rows written for {since} … {today}.")
