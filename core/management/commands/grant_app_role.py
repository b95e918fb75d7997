"""Grant the portal's run-time database role what it needs, and no more.

Production runs two PostgreSQL roles: the owner, which runs the migrations (and this command right
after them), and the application role, which gunicorn, the workers and beat connect as. The
application role may read and write every table, but it gets no UPDATE, DELETE or TRUNCATE on a
table whose model declares `protect_*` triggers (the audit log): the triggers stop mistakes, and
the missing privilege stops a compromised application, which could otherwise switch the triggers
off for its own session (`pgtrigger.ignore`). Old audit events leave only through the
`audit_purge_through` function, which is owned by the owner and refuses anything younger than the
legal minimum.

Run it after every `migrate`: new tables get their grants then (the owner's default privileges
are left alone, so nothing is granted that this command did not decide).
"""

import re
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

# The privileges a `protect_<operation>` trigger stands for.
PROTECTED = ("UPDATE", "DELETE", "TRUNCATE")
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def protected_tables() -> dict[str, list[str]]:
    """Table name → the privileges its `protect_*` triggers refuse, for every installed model."""
    tables: dict[str, list[str]] = {}
    for model in apps.get_models():
        names = {str(getattr(t, "name", "")).lower() for t in getattr(model._meta, "triggers", [])}
        refused = [
            op for op in PROTECTED if names & {f"protect_{op.lower()}", f"protect_{op.lower()}s"}
        ]
        if refused:
            tables[model._meta.db_table] = refused
    return tables


def grant_statements(role: str) -> list[str]:
    """The statements that give `role` its privileges (the role name is validated by the caller)."""
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {role}",
    ]
    for table, privileges in sorted(protected_tables().items()):
        statements.append(f'REVOKE {", ".join(privileges)} ON "{table}" FROM {role}')
    return statements


class Command(BaseCommand):
    help = (
        "Grant the application's database role read/write on every table except UPDATE, DELETE "
        "and TRUNCATE on append-only tables (the audit log). Run as the owner after migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="The role gunicorn and the workers connect as.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the statements, change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = str(options["role"])
        if not ROLE_NAME.match(role):
            raise CommandError(f"Not a plain role name: {role!r} (lower-case letters, digits, _).")
        if connection.vendor != "postgresql":
            raise CommandError("Roles and grants are PostgreSQL's; this database is not.")
        statements = grant_statements(role)
        if options["dry_run"]:
            self.stdout.write(";\n".join(statements) + ";")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"The role {role} does not exist: CREATE ROLE {role} LOGIN …")
            if role == connection.settings_dict.get("USER"):
                raise CommandError(
                    "The role is the one running this command (the owner): the owner keeps every "
                    "privilege. Connect the application as a role of its own."
                )
            for statement in statements:
                cursor.execute(statement)
        tables = protected_tables()
        self.stdout.write(
            f"{role}: read/write on every table; append-only: "
            + ", ".join(f"{t} ({'/'.join(p)} refused)" for t, p in sorted(tables.items()))
        )
