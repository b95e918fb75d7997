from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audit.choices import AuditAction, AuditResult
from audit.services import audit_record

KINDS = {"backup": AuditAction.BACKUP, "restore": AuditAction.RESTORE}


class Command(BaseCommand):
    help = "Record a backup or restore run in the audit log (called by the operators' scripts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("--result", choices=AuditResult.values, default=AuditResult.OK)
        parser.add_argument("--operator", default="", help="who ran it (an operator account name)")
        parser.add_argument("--target", default="", help="what was backed up or restored")

    def handle(self, *args: Any, **options: Any) -> None:
        event = audit_record(
            action=KINDS[options["kind"]],
            actor=None,
            object_type="database",
            object_id=options["target"][:64],
            result=options["result"],
            detail={"operator": options["operator"][:64]} if options["operator"] else {},
        )
        self.stdout.write(f"Recorded audit event seq {event.seq}")
