"""Real processes for the fault-injection tests (RELIABILITY §4 "shared harness"): a throw-away
PostgreSQL cluster and redis-server, gunicorn and a Celery worker on free loopback ports, each in
its own process group so that a test can freeze, kill or restart it and the teardown stops it."""
