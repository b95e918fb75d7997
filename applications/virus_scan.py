"""Scan uploads with ClamAV (clamd) before they are stored.

``settings.CLAMAV_URL`` names the daemon: ``unix:///run/clamav/clamd.ctl`` or
``tcp://clamav:3310``. Empty means no scanning (development); production logs a warning at
startup (`virus_scan_warn_if_disabled`). A configured scanner fails closed: if it cannot be
reached, times out or answers with an error, the upload is refused, never stored unscanned.
"""

import logging
from typing import IO, Any, Protocol
from urllib.parse import unquote, urlsplit

from django.conf import settings

import clamd

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 30.0


class VirusFoundError(Exception):
    """The scanner found a signature in the file."""

    def __init__(self, signature: str) -> None:
        super().__init__(signature)
        self.signature = signature


class ScannerUnavailableError(Exception):
    """The scanner could not give a verdict (unreachable, timeout, error, stream too long)."""


class _Scanner(Protocol):
    def instream(self, buff: IO[bytes]) -> dict[str, tuple[str, str | None]]: ...


def virus_scan_enabled() -> bool:
    return bool(getattr(settings, "CLAMAV_URL", ""))


def virus_scan(stream: IO[bytes]) -> None:
    """Scan `stream` from its start; return if it is clean (or scanning is off).

    The stream position is left at 0.

    :raises VirusFoundError: if a signature matched.
    :raises ScannerUnavailableError: if a configured scanner gave no verdict (fail closed).
    """
    url: str = getattr(settings, "CLAMAV_URL", "")
    if not url:
        return
    scanner = _scanner(url)
    stream.seek(0)
    try:
        result: Any = scanner.instream(stream)
    except (clamd.ClamdError, OSError) as exc:  # OSError covers socket timeouts and resets
        logger.warning("virus scan failed: %s: %s", type(exc).__name__, exc)
        raise ScannerUnavailableError(str(exc)) from exc
    finally:
        stream.seek(0)
    try:
        status, signature = result["stream"]
    except (KeyError, TypeError, ValueError):
        logger.warning("virus scan gave an unexpected answer: %r", result)
        raise ScannerUnavailableError(repr(result)) from None
    if status == "OK":
        return
    if status == "FOUND":
        logger.warning("virus scan found %s in an upload", signature)
        raise VirusFoundError(str(signature))
    logger.warning("virus scan answered %s: %s", status, signature)
    raise ScannerUnavailableError(f"{status}: {signature}")


def virus_scan_warn_if_disabled() -> None:
    """Log once (at startup) that uploads are stored unscanned when no scanner is configured."""
    if not virus_scan_enabled() and not settings.DEBUG:
        logger.warning("CLAMAV_URL is not set: uploaded files are stored without a virus scan")


def _scanner(url: str) -> _Scanner:
    timeout = float(getattr(settings, "CLAMAV_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
    parts = urlsplit(url)
    if parts.scheme == "unix":
        path = unquote(parts.path or parts.netloc)
        return clamd.ClamdUnixSocket(path=path, timeout=timeout)  # type: ignore[no-any-return]
    if parts.scheme == "tcp" and parts.hostname:
        return clamd.ClamdNetworkSocket(  # type: ignore[no-any-return]
            host=parts.hostname, port=parts.port or 3310, timeout=timeout
        )
    raise ScannerUnavailableError(f"CLAMAV_URL must be unix:///path or tcp://host:port: {url!r}")
