from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from matters.snapshots import guide_snapshots_fill


class Command(BaseCommand):
    help = (
        "Render the stored 办事指南 bodies that are missing or stale for the guides citizens can see "
        "(after a deploy or an import; pages render missing ones on their first visit anyway)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="only this language (default: every language of the site)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        written = guide_snapshots_fill(language=options["language"])
        self.stderr.write(f"{written} guide bodies rendered.")
