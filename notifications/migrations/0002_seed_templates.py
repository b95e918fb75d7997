"""Seed one template per event with the built-in texts, for editors to change in the admin.

The texts come from `notifications.defaults`, which `notify()` also falls back to. Rows that exist
are left alone, so running this on a database with edited templates changes nothing.
"""

from dataclasses import asdict

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from notifications.defaults import DEFAULT_TEMPLATES


# The events that existed when this migration was written (its table's check constraint allows
# these only); later events are seeded by the migration that adds them.
EVENTS = (
    "APPLICATION_RECEIVED", "SUPPLEMENT_REQUESTED", "SUPPLEMENT_DUE_SOON", "APPLICATION_ACCEPTED",
    "APPLICATION_NOT_ACCEPTED", "APPLICATION_SUSPENDED", "APPLICATION_EXTENDED",
    "APPLICATION_APPROVED", "APPLICATION_REJECTED", "APPLICATION_RETURNED", "APPLICATION_COMPLETED",
    "CERTIFICATE_ISSUED", "CERTIFICATE_EXPIRING", "CERTIFICATE_REVOKED", "CASE_ASSIGNED",
    "CASE_DUE_SOON",
)  # fmt: skip


def seed_events(apps: StateApps, events: tuple[str, ...] | None = None) -> None:
    """Create the missing templates of `events` (all events when None) from the built-in texts."""
    template_model = apps.get_model("notifications", "NotificationTemplate")
    template_model.objects.bulk_create(
        [
            template_model(event=str(event), **asdict(text))
            for event, text in DEFAULT_TEMPLATES.items()
            if events is None or str(event) in events
        ],
        ignore_conflicts=True,
    )


def seed(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    seed_events(apps, EVENTS)


def unseed(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    template_model = apps.get_model("notifications", "NotificationTemplate")
    template_model.objects.filter(event__in=[str(event) for event in DEFAULT_TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
