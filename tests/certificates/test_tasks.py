"""The certificate worker warms the renderer in its main process, before the pool forks, so the
children start with WeasyPrint loaded (T6); the notifier, which never renders, does not."""

from types import SimpleNamespace

import pytest
from celery import Celery

from certificates import rendering, tasks


def worker_consuming(*queues: str) -> SimpleNamespace:
    app = Celery("test", set_as_current=False)
    app.amqp.queues.select(list(queues))
    return SimpleNamespace(app=app)


@pytest.mark.parametrize(
    ("queues", "warms"),
    [(("celery",), True), (("celery", "notifications"), True), (("notifications",), False)],
)
def test_only_a_worker_that_issues_certificates_warms_the_renderer_before_forking(
    monkeypatch: pytest.MonkeyPatch, queues: tuple[str, ...], warms: bool
) -> None:
    warmed: list[bool] = []
    monkeypatch.setattr(rendering, "warm", lambda: warmed.append(True))

    tasks._warm_renderer(sender=worker_consuming(*queues))

    assert warmed == ([True] if warms else [])
