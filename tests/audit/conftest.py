"""Fixtures of the audit tests: an anchor key and file of the test's own."""

from pathlib import Path

import pytest
from pytest_django import Settings

ANCHOR_KEY = "test-anchor-key-kept-off-the-database"


@pytest.fixture
def anchors(settings: Settings, tmp_path: Path) -> Path:
    """AUDIT_ANCHOR_KEY set and AUDIT_ANCHOR_PATH in the test's folder."""
    path = tmp_path / "anchors.jsonl"
    settings.AUDIT_ANCHOR_KEY = ANCHOR_KEY
    settings.AUDIT_ANCHOR_PATH = str(path)
    return path
