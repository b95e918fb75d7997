"""`audit_purge_through(seq, days)`: the only way old audit events leave the table in production.

The run-time role has no DELETE on the audit log (`manage.py grant_app_role`): the protect trigger
alone would not stop a compromised application, which can ignore it for its own session. This
function runs with its owner's rights (SECURITY DEFINER) and checks, by the database's own clock,
that every event it deletes is older than the retention, itself at least 180 days (网络安全法
第21条(三)). PostgreSQL only: SQLite has neither triggers nor roles."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = r"""
CREATE OR REPLACE FUNCTION audit_purge_through(through_seq bigint, retention_days integer)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    deleted bigint;
    protect text[];
    previous text;
BEGIN
    IF retention_days IS NULL OR retention_days < 180 THEN
        RAISE EXCEPTION 'audit events are kept at least 180 days, not %', retention_days;
    END IF;
    IF EXISTS (
        SELECT 1 FROM audit_auditevent
        WHERE seq <= through_seq AND ts >= now() - make_interval(days => retention_days)
    ) THEN
        RAISE EXCEPTION 'audit events up to seq % include some younger than % days',
            through_seq, retention_days;
    END IF;
    SELECT array_agg(tgname::text) INTO protect FROM pg_trigger
    WHERE tgrelid = 'audit_auditevent'::regclass AND tgname LIKE 'pgtrigger_protect_deletes%';
    previous := current_setting('pgtrigger.ignore', true);
    PERFORM set_config('pgtrigger.ignore', '{' || array_to_string(protect, ',') || '}', true);
    DELETE FROM audit_auditevent WHERE seq <= through_seq;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    PERFORM set_config('pgtrigger.ignore', coalesce(nullif(previous, ''), '{}'), true);
    RETURN deleted;
END
$$;
"""
DROP = "DROP FUNCTION IF EXISTS audit_purge_through(bigint, integer);"


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREATE)  # no parameters: the % of RAISE stay as they are


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_security_actions")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
