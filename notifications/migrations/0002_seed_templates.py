"""Seed one template per event with the built-in texts, for editors to change in the admin.

The texts come from `notifications.defaults`, which `notify()` also falls back to. Rows that exist
are left alone, so running this on a database with edited templates changes nothing.
"""

from dataclasses import asdict

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from notifications.defaults import DEFAULT_TEMPLATES


def seed(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    template_model = apps.get_model("notifications", "NotificationTemplate")
    template_model.objects.bulk_create(
        [template_model(event=str(event), **asdict(text)) for event, text in DEFAULT_TEMPLATES.items()],
        ignore_conflicts=True,
    )


def unseed(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    template_model = apps.get_model("notifications", "NotificationTemplate")
    template_model.objects.filter(event__in=[str(event) for event in DEFAULT_TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
