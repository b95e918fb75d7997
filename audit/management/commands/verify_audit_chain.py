from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.selectors import audit_chain_check


class Command(BaseCommand):
    help = (
        "Recompute every audit event's hash; report altered rows, gaps in seq, broken links and "
        "a truncated tail (against the signed anchors). Exits non-zero on any problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchors", type=Path, help="anchor file (default: settings.AUDIT_ANCHOR_PATH)"
        )
        parser.add_argument(
            "--no-anchors", action="store_true", help="check the table alone, not the anchors"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_check(
            anchor_path=options["anchors"], use_anchors=not options["no_anchors"]
        )
        if report.ok:
            span = f"seq {report.first_seq}–{report.last_seq}" if report.count else "empty"
            self.stdout.write(f"OK: {report.count} events ({span}), 0 gaps, 0 forks")
            return
        for problem in report.problems:
            self.stderr.write(problem)
        first = report.altered[0] if report.altered else None
        summary = (
            f"audit chain NOT OK: {len(report.problems)} problem(s); altered seq: "
            f"{report.altered or 'none'}; gaps: {report.gaps or 'none'}; forks: "
            f"{report.forks or 'none'}"
        )
        if first is not None:
            summary += f"; first altered row: seq {first}"
        raise CommandError(summary)
