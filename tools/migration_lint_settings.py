"""Settings of `manage.py lintmigrations` (RELIABILITY CFG-05): the test settings plus the linter,
which is a dev tool and so not an app of the portal. Its options and the reviewed allow-list are in
pyproject.toml ([tool.django_migration_linter])."""

from portal.settings.test import *  # noqa: F403
from portal.settings.test import INSTALLED_APPS, LOGGING

INSTALLED_APPS = [*INSTALLED_APPS, "django_migration_linter"]
# The linter logs each sqlmigrate call at INFO; its verdicts are printed, not logged.
LOGGING["loggers"]["django_migration_linter"] = {"level": "WARNING"}
