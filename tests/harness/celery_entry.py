"""`python -m tests.harness.celery_entry <celery args>`: Celery's command line, plus test-only
faults, each switched on by an environment variable. Nothing of this is in the product.

* CHAOS_POISON_TYPE=<certificate type code>: the pool process rendering a certificate of that type
  dies at once (os._exit), every time (REL-WK-03).
* CHAOS_SLOW_RENDER_SECONDS=<s>: every certificate render takes at least that long (REL-WK-06: a
  task longer than the visibility timeout).
* CHAOS_UNGUARDED=1: certificate issuing without its idempotency guard, as a naive task would do
  it: every delivery claims and stores, whatever the certificate's state (REL-WK-06).
* CHAOS_RENDER_LOG=<path>: one line per certificate render (how many times the work ran).
* CHAOS_KILL_MID_WRITE=<path>: the first certificate PDF written by this stack is cut off halfway,
  then its process is killed with SIGKILL; <path> marks that it happened (REL-FS-01).
"""

import os
import signal
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from celery.__main__ import main
from celery.signals import worker_process_init

POISON_TYPE = os.environ.get("CHAOS_POISON_TYPE", "")
SLOW_RENDER_SECONDS = float(os.environ.get("CHAOS_SLOW_RENDER_SECONDS", "0") or 0)
UNGUARDED = os.environ.get("CHAOS_UNGUARDED") == "1"
RENDER_LOG = os.environ.get("CHAOS_RENDER_LOG", "")
KILL_MID_WRITE = os.environ.get("CHAOS_KILL_MID_WRITE", "")


@worker_process_init.connect
def _install_faults(**kwargs: Any) -> None:
    if POISON_TYPE or SLOW_RENDER_SECONDS or RENDER_LOG:
        _wrap_renderer()
    if UNGUARDED:
        _remove_idempotency_guard()
    if KILL_MID_WRITE:
        _kill_mid_write(Path(KILL_MID_WRITE))


def _wrap_renderer() -> None:
    from certificates import rendering

    render = rendering.render_certificate

    def faulty(context: Any, *args: Any, **kw: Any) -> Any:
        # The identifier is 1.2.156.3005.2.<type code>.<issuer>.<serial>.<version>.<check>.
        if POISON_TYPE and context.identifier.split(".")[5] == POISON_TYPE:
            os._exit(70)  # a renderer that takes the process down (a segfault in a C library)
        started = time.monotonic()
        if RENDER_LOG:
            with open(RENDER_LOG, "a", encoding="utf-8") as log:
                log.write(f"{os.getpid()} {context.identifier}\n")
        result = render(context, *args, **kw)
        time.sleep(max(0.0, SLOW_RENDER_SECONDS - (time.monotonic() - started)))
        return result

    rendering.render_certificate = faulty


def _remove_idempotency_guard() -> None:
    from django.db.models import F

    from certificates.models import Certificate
    from certificates.services import issuing

    def claim_always(certificate_id: int, now: datetime) -> Certificate:
        # No "still pending?" and no "did another delivery claim it?": count and go on.
        Certificate.objects.filter(pk=certificate_id).update(attempts=F("attempts") + 1)
        return Certificate.objects.select_related("type", "issuer").get(pk=certificate_id)

    issuing._claim_attempt = claim_always
    issuing.issued_already = lambda certificate: False


def _kill_mid_write(marker: Path) -> None:
    from django.core.files.storage import FileSystemStorage

    save = FileSystemStorage._save  # type: ignore[attr-defined]  # private, not in the stubs

    def cut_off(self: FileSystemStorage, name: str, content: Any) -> str:
        if not name.startswith("certificates/") or marker.exists():
            return str(save(self, name, content))
        marker.touch()
        # What FileSystemStorage._save leaves when its process dies halfway: the final name, half
        # of the bytes, and no row pointing at it (its transaction is never committed).
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.read()
        with path.open("wb") as handle:
            handle.write(data[: len(data) // 2])
            handle.flush()
            os.fsync(handle.fileno())
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")  # pragma: no cover

    FileSystemStorage._save = cut_off  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.argv[0] = "celery"
    sys.exit(main())
