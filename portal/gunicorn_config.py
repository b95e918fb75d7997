"""gunicorn settings for production (`gunicorn -c portal/gunicorn_config.py portal.wsgi`).

Sync workers, two per two cores: the views are CPU-bound, and on this stack 2 sync workers served as
much as 4 or gthread (PERFORMANCE.md §1.3). The app is loaded in the master, which builds the search
index once before forking, so every worker starts with it and shares its arrays copy-on-write.
"""

import gc
import logging
import os
import sys

from gunicorn.arbiter import Arbiter
from gunicorn.workers.base import Worker

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# A leak guard, not a tuning knob: at 5,000 a worker serving ~1,400 cached pages/s restarted every
# ~4 s and the requests queued behind each restart made the p99 of every cached cell 180-200 ms
# (make bench: 9-17 ms at 100,000, the hot guide page 2,315 -> 2,648 req/s).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
# The `Server` header says "gunicorn" and no version (behind nginx, whose `server_tokens off`
# hides its own); Django adds no X-Powered-By.


def when_ready(server: Arbiter) -> None:
    """Build the search index in the master (workers are forked after this)."""
    from matters.search import warm_up

    warm_up()
    # Keep the index's objects out of the collector's reach, so that workers do not touch (and so
    # copy) the shared pages when they collect garbage.
    gc.freeze()


def worker_exit(server: Arbiter, worker: Worker) -> None:
    """Leave without Python's teardown: it walks every object, copying the shared index pages
    (measured: 0.85 s of CPU per exiting worker at 100k matters, a latency spike every
    max_requests; 15 ms this way)."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
