"""Log formatting for operators and log shippers (SEC-LOG-01, -02, -06).

* `JsonFormatter`: one JSON object per line: time, level, logger, message, request id, the
  exception and any `extra` fields. Whatever a user typed (a username with CR/LF, ANSI escapes, a
  fake JSON fragment) stays escaped inside its string field, so it cannot forge a line.
* `PlainFormatter`: the human format of `make run` (LOG_FORMAT=plain), with control characters of
  the message shown escaped for the same reason.
* `RequestIdFilter`: adds `request_id` to every record, from a function named in the settings
  (the audit app's context variable) or from the request Django attaches to its own records.
* `PersonalDataFilter`: defence in depth against PIPL leaks: a valid 18-character resident ID
  number (GB 11643 checksum) or a mainland mobile number in a record is masked before any handler
  writes it, whichever code logged it.
"""

import json
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.utils.module_loading import import_string

from core.identifiers import mask_mobile, mask_resident_id, normalise_resident_id

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "request",
    "server_time",
    "status_code",
}

# Characters JSON leaves raw but terminals or log viewers act on: DEL, the C1 controls (CSI 0x9b
# starts an escape sequence on some terminals) and the Unicode line and paragraph separators.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")
# Control characters of a plain-text message (CR, LF, ESC …), shown as escapes.
_PLAIN_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

NO_REQUEST_ID = "-"


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _plain_escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def escape_control_characters(text: str) -> str:
    """`text` with CR, LF, ESC and other control characters written as escapes (`\\n`, `\\x1b`)."""
    return _PLAIN_UNSAFE.sub(_plain_escape, text)


class JsonFormatter(logging.Formatter):
    """One JSON object per line (UTF-8, CJK readable, control characters escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", NO_REQUEST_ID),
        }
        status_code = getattr(record, "status_code", None)
        if isinstance(status_code, int):
            entry["status"] = status_code
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = (
                    value if isinstance(value, str | int | float | bool | None) else repr(value)
                )
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        line = json.dumps(entry, ensure_ascii=False, default=str)
        return _JSON_UNSAFE.sub(_json_escape, line)


class PlainFormatter(logging.Formatter):
    """The plain one-line format, with control characters in the message escaped."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        record.message = escape_control_characters(record.message)
        if not hasattr(record, "request_id"):
            record.request_id = NO_REQUEST_ID
        return super().formatMessage(record)


def _no_request_id() -> str | None:
    return None


class RequestIdFilter(logging.Filter):
    """Set `record.request_id`: the one given in `extra`, else the current request's (`source`,
    the dotted path of a function returning it or None), else that of the request Django attached
    to the record, else "-"."""

    def __init__(self, source: str = "") -> None:
        super().__init__()
        self._source_path = source
        self._source: Callable[[], str | None] | None = None if source else _no_request_id

    def _current(self) -> str | None:
        if self._source is None:
            try:
                self._source = import_string(self._source_path)
            except ImportError:
                # The module that keeps the request id is not there (yet): no id from it.
                self._source = _no_request_id
        return self._source()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None):
            return True
        request_id = self._current()
        if not request_id:
            request_id = getattr(getattr(record, "request", None), "request_id", None)
        record.request_id = str(request_id) if request_id else NO_REQUEST_ID
        return True


# 18 characters not inside a longer run of letters or digits (so not part of a reference number).
_ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
# A mainland mobile: 11 digits from 13… to 19…, not inside a longer number (but after +86).
_MOBILE = re.compile(r"(?:(?<=\+86)|(?<!\d))1[3-9]\d{9}(?!\d)")


def _mask_id(match: re.Match[str]) -> str:
    value = match.group()
    try:
        # The guarded check: python-stdnum raises KeyError (not a ValidationError) on some area
        # codes, and a log call must never fail because of what a user typed.
        normalise_resident_id(value)
    except ValueError:
        return value
    return mask_resident_id(value)


def mask_personal_data(text: str) -> str:
    """`text` with valid resident ID numbers and mobile numbers masked (110105********002X)."""
    text = _ID_CANDIDATE.sub(_mask_id, text)
    return _MOBILE.sub(lambda m: mask_mobile(m.group()), text)


class PersonalDataFilter(logging.Filter):
    """Mask ID numbers and mobiles in a record's message, exception text and `extra` strings."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # bad arguments: logging reports it when formatting
            return True
        record.msg, record.args = mask_personal_data(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        for key, value in list(record.__dict__.items()):
            if key not in _RECORD_ATTRIBUTES and isinstance(value, str):
                setattr(record, key, mask_personal_data(value))
        return True
