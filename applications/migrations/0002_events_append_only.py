"""On PostgreSQL, refuse any UPDATE or DELETE of a trail event (全程留痕 is append-only)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FUNCTION = """
CREATE OR REPLACE FUNCTION applications_refuse_event_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'application events are append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql;
"""


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    schema_editor.execute(
        "CREATE TRIGGER applicationevent_append_only BEFORE UPDATE OR DELETE "
        "ON applications_applicationevent FOR EACH ROW EXECUTE FUNCTION applications_refuse_event_change()"
    )


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS applicationevent_append_only ON applications_applicationevent"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS applications_refuse_event_change()")


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
