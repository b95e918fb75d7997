"""`python -m tests.harness.celery_entry <celery args>`: Celery's command line, plus one test-only
fault: with CHAOS_POISON_TYPE=<certificate type code> the pool process rendering a certificate of
that type dies at once (os._exit), every time (REL-WK-03). Nothing of this is in the product."""

import os
import sys
from typing import Any

from celery.__main__ import main
from celery.signals import worker_process_init

POISON_TYPE = os.environ.get("CHAOS_POISON_TYPE", "")


@worker_process_init.connect
def _poison_renderer(**kwargs: Any) -> None:
    if not POISON_TYPE:
        return
    from certificates import rendering

    render = rendering.render_certificate

    def crashing(context: Any, *args: Any, **kw: Any) -> Any:
        # The identifier is 1.2.156.3005.2.<type code>.<issuer>.<serial>.<version>.<check>.
        if context.identifier.split(".")[5] == POISON_TYPE:
            os._exit(70)  # a renderer that takes the process down (a segfault in a C library)
        return render(context, *args, **kw)

    rendering.render_certificate = crashing


if __name__ == "__main__":
    sys.argv[0] = "celery"
    sys.exit(main())
