"""On PostgreSQL, refuse at the database any UPDATE or DELETE of a published matter version or of the
rows that make it up. The services and the admin already never do this; the trigger is the last line
of defence against a script, a shell session or a bug (STYLE principle 3). SQLite (the embedded
development setup) relies on the services alone."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FUNCTIONS = """
CREATE OR REPLACE FUNCTION matters_refuse_published_version_change() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'PUBLISHED' THEN
        RAISE EXCEPTION 'published matter version % is immutable', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION matters_refuse_published_child_change() RETURNS trigger AS $$
DECLARE version_status text;
BEGIN
    SELECT status INTO version_status FROM matters_matterversion WHERE id = OLD.version_id;
    IF version_status = 'PUBLISHED' THEN
        RAISE EXCEPTION 'rows of published matter version % are immutable', OLD.version_id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""

CHILD_TABLES = ("matters_material", "matters_fee", "matters_processstep", "matters_faq", "matters_situationquestion")


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS, params=None)  # the SQL holds % of RAISE, not placeholders
    schema_editor.execute(
        "CREATE TRIGGER matterversion_immutable BEFORE UPDATE OR DELETE ON matters_matterversion "
        "FOR EACH ROW EXECUTE FUNCTION matters_refuse_published_version_change()"
    )
    for table in CHILD_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION matters_refuse_published_child_change()"
        )


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in CHILD_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
    schema_editor.execute("DROP TRIGGER IF EXISTS matterversion_immutable ON matters_matterversion")
    schema_editor.execute("DROP FUNCTION IF EXISTS matters_refuse_published_child_change()")
    schema_editor.execute("DROP FUNCTION IF EXISTS matters_refuse_published_version_change()")


class Migration(migrations.Migration):
    dependencies = [("matters", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
