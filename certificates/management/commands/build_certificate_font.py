import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from certificates.fonts import bold_font_path, build_subset_font


class Command(BaseCommand):
    help = (
        "Build the certificate font (Noto Sans CJK SC cut down to GB2312, regular and bold) in "
        "CERTIFICATE_FONT_DIR, once; workers build it on start when it is missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Rebuild even if the font exists.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        path = build_subset_font(force=options["force"])
        seconds = time.perf_counter() - started
        for built in (path, bold_font_path()):
            size = built.stat().st_size / 1024 / 1024
            self.stdout.write(f"{built} ({size:.1f} MB)")
        self.stdout.write(f"Done in {seconds:.1f} s.")
