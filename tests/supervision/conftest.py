"""The case fixtures of the applications tests, shared here."""

from tests.applications.conftest import world  # noqa: F401 - a fixture, used by name
