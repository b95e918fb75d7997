from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.crypto import personal_data_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted personal-data value with the first key of PERSONAL_DATA_KEYS "
        "and recompute the blind indexes (run after adding a key or changing the index key)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Rows per transaction (default 500)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = personal_data_rotate(batch_size=options["batch_size"])
        self.stdout.write(
            f"{report.rows} rows re-encrypted ({report.values} values), "
            f"{len(report.failures)} failures."
        )
        if report.failures:
            for where in report.failures[:20]:
                self.stderr.write(f"cannot decrypt {where}")
            raise CommandError(
                f"{len(report.failures)} rows could not be decrypted with PERSONAL_DATA_KEYS: "
                "keep the old key listed until they are re-encrypted."
            )
