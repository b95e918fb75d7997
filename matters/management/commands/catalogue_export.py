import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audit.choices import AuditAction
from audit.services import audit_record
from matters.serialization import catalogue_to_document


class Command(BaseCommand):
    help = "Export the whole catalogue as one JSON document (docs/catalogue-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", type=Path, nargs="?", help="file to write; standard output if omitted"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = json.dumps(catalogue_to_document(), ensure_ascii=False, indent=1)
        path: Path | None = options["path"]
        audit_record(
            action=AuditAction.EXPORT, object_type="matters.catalogue", detail={"command": True}
        )
        if path is None:
            self.stdout.write(text)
        else:
            path.write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Catalogue written to {path}.")
