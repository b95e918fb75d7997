"""gunicorn settings for production (`gunicorn -c portal/gunicorn_config.py portal.wsgi`).

Sync workers, two per two cores: the views are CPU-bound, and on this stack 2 sync workers served as
much as 4 or gthread (PERFORMANCE.md §1.3). The app is loaded in the master, which builds the search
index once before forking, so every worker starts with it and shares its arrays copy-on-write.
"""

import os

from gunicorn.arbiter import Arbiter

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")


def when_ready(server: Arbiter) -> None:
    """Build the search index in the master (workers are forked after this)."""
    from matters.search import warm_up

    warm_up()
