"""SEC-LOG-02: a pytest plugin that reads every log record of the whole test run as the log
would show it, and fails the run if one holds personal data or a secret: an 18-character
resident ID number with a valid check character, a mainland mobile number, or a password or
one-time code of the test fixtures (registered with `secret()`).

Registered in tests/conftest.py (`pytest_plugins`). Records are rendered through the root
logger's configured handlers' filters and formatters (the personal-data mask included), so what
is scanned is what would reach the log; without a handler the plain message is scanned.
`TONGBAN_LEAKSCAN=0` turns it off (e.g. to debug a failing run)."""

import copy
import logging
import os
import re

import pytest
from stdnum.iso7064 import mod_11_2

ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")

# Passwords of the fixtures and the demo (tests/conftest.py, tests/applications/conftest.py,
# tests/security/world.py, README); tests add the codes they send with `secret()`.
SECRETS: set[str] = {
    "pw-citizen-1",
    "pw-staff-1",
    "pw-catalogue-1",
    "tongban-demo-2026",
    "pw-canary-A-7f3c",
    "secret-Wrong-Password-99",
}
MAX_REPORTED = 20


def secret(value: str) -> None:
    """Register a password, one-time code or token that no log record may contain."""
    if len(value) >= 6:
        SECRETS.add(value)


def findings(text: str) -> list[str]:
    """What in `text` is personal data or a registered secret."""
    found = [f"ID number {m}" for m in ID_CANDIDATE.findall(text) if _checksum_ok(m)]
    found += [f"mobile {m}" for m in MOBILE.findall(text)]
    found += [f"secret {s[:3]}…" for s in SECRETS if s in text]
    return found


def _checksum_ok(number: str) -> bool:
    try:
        return bool(mod_11_2.is_valid(number.upper()))
    except Exception:  # a malformed candidate is simply not an ID number
        return False


class LeakScanHandler(logging.Handler):
    """Scans each record as the configured root handlers would write it."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.offending: list[tuple[str, str, list[str]]] = []
        self.scanned = 0

    def _rendered(self, record: logging.LogRecord) -> list[str]:
        texts = []
        for handler in logging.getLogger().handlers:
            if isinstance(handler, LeakScanHandler) or type(handler).__module__.startswith(
                "_pytest"
            ):
                continue
            duplicate = copy.copy(record)
            try:
                if handler.filter(duplicate):
                    texts.append(handler.format(duplicate))
            except Exception:  # a failing formatter is another test's business
                texts.append(duplicate.getMessage())
        if not texts:
            texts.append(record.getMessage())
        return texts

    def emit(self, record: logging.LogRecord) -> None:
        self.scanned += 1
        try:
            for text in self._rendered(record):
                if found := findings(text):
                    self.offending.append((record.name, text[:300], found))
                    return
        except Exception:  # the scan must never break the code under test
            self.offending.append((record.name, "<unrenderable record>", ["render error"]))


_HANDLER = LeakScanHandler()


def _enabled() -> bool:
    return os.environ.get("TONGBAN_LEAKSCAN", "1") != "0"


def pytest_configure(config: pytest.Config) -> None:
    if _enabled():
        logging.getLogger().addHandler(_HANDLER)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Attach again if something reconfigured logging (dictConfig replaces the root handlers)."""
    root = logging.getLogger()
    if _enabled() and _HANDLER not in root.handlers:
        root.addHandler(_HANDLER)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not _enabled():
        return
    logging.getLogger().removeHandler(_HANDLER)
    if not _HANDLER.offending:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [
        f"leak scan (SEC-LOG-02): {len(_HANDLER.offending)} of {_HANDLER.scanned} log records "
        "hold personal data or a secret:"
    ]
    lines += [
        f"  [{name}] {found}: {text!r}" for name, text, found in _HANDLER.offending[:MAX_REPORTED]
    ]
    if reporter is not None:
        reporter.write_sep("=", "leak scan", red=True)
        for line in lines:
            reporter.write_line(line)
    else:
        print("\n".join(lines))  # noqa: T201
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def offending() -> list[tuple[str, str, list[str]]]:
    """The offending records so far (for the plugin's own test)."""
    return list(_HANDLER.offending)


def forget(count: int) -> None:
    """Drop the offending records after the first `count` (the plugin's own test plants one)."""
    del _HANDLER.offending[count:]
