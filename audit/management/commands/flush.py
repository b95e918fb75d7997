"""`flush` (empty every table, as Django's test runner does between transactional tests), with
the audit table's TRUNCATE trigger lifted for this command's own statement only.

Any other TRUNCATE of the audit log is still refused by the trigger; in production the
application's database role has no TRUNCATE privilege at all (INSERT and SELECT only).
"""

from typing import Any

from django.core.management.commands import flush

import pgtrigger


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with pgtrigger.ignore("audit.AuditEvent:protect_truncate"):
            super().handle(**options)
