"""Fixtures shared by the security tests."""

import io
import logging
from collections.abc import Iterator

import pytest

from core.logging import JsonFormatter


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the configured JSON console handler writes, for the duration of a test."""
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)
    )
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)
