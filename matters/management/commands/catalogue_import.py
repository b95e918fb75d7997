import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matters.services import CatalogueImportError, catalogue_import


class Command(BaseCommand):
    help = "Import a catalogue JSON document (docs/catalogue-format.md): all of it, or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"无法读取目录文件 {path}：{exc}") from None
        try:
            report = catalogue_import(document=document)
        except CatalogueImportError as exc:
            for field_path, messages in exc.errors.items():
                for message in messages:
                    self.stderr.write(f"{field_path}: {message}")
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"Imported {report.matters} matters ({report.versions_created} versions written, "
            f"{report.versions_unchanged} already published and unchanged), "
            f"{report.departments} departments, {report.regions} regions."
        )
