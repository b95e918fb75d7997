"""SEC-LOG-02: the leak-scan plugin finds what it must (so a green run means something), and the
Celery task messages the product publishes on a whole journey carry only IDs."""

import base64
import json
import logging
from typing import Any

import pytest
from celery.signals import before_task_publish

from applications import services
from tests.applications.conftest import NOW, draft_ready
from tests.security import leakscan
from tests.security.world import A_ID, A_MOBILE, A_NAME, A_SHOP, security_world

world = security_world()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("applicant 11010519491231002X signed in", ["ID number 11010519491231002X"]),
        ("call 13912345678 now", ["mobile 13912345678"]),
        ("password=pw-citizen-1", ["secret pw-…"]),
        ("masked 110105********002X and 139****5678", []),
        ("reference 1144030011002000202506110000011 is not an ID", []),
        ("110105194912310021 fails its checksum", []),
    ],
)
def test_the_scan_finds_personal_data_and_secrets_and_nothing_else(
    text: str, expected: list[str]
) -> None:
    assert leakscan.findings(text) == expected


def test_the_plugin_sees_records_as_the_log_would_show_them() -> None:
    """A record planted through the root logger is caught (then forgotten, so this run stays
    green); with the personal-data mask configured, a masked record is not an offence."""
    before = len(leakscan.offending())
    logging.getLogger("tongban.leakscan.selftest").warning("secret %s", "pw-canary-A-7f3c")
    caught = leakscan.offending()[before:]
    leakscan.forget(before)

    assert len(caught) == 1
    assert caught[0][2] == ["secret pw-…"]


@pytest.mark.django_db
def test_task_messages_of_a_whole_journey_carry_only_ids(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:

    published: list[dict[str, Any]] = []

    def record(sender: str | None = None, body: Any = None, **kwargs: Any) -> None:
        published.append({"task": sender, "body": body})

    before_task_publish.connect(record, weak=False)
    try:
        a = world["a"]
        with django_capture_on_commit_callbacks(execute=True):
            draft = draft_ready(a, world["workflow_catalogue"]["food"], now=NOW)
            pk = draft.pk
            services.application_submit(user=a, application_id=pk, now=NOW)
            services.application_accept(user=world["clerk"], application_id=pk, now=NOW)
            services.application_step_pass(
                user=world["reviewer"], application_id=pk, now=NOW, opinion="符合条件。"
            )
    finally:
        before_task_publish.disconnect(record)

    assert published, "the journey should publish at least one task (notifications)"
    text = json.dumps([message["body"] for message in published], ensure_ascii=False, default=str)
    for canary in (A_ID, A_MOBILE, A_NAME, A_SHOP, "pw-canary-A-7f3c"):
        assert canary not in text, (canary, text[:500])
    assert not leakscan.findings(text), text[:500]
    for message in published:
        args, kwargs = _arguments(message["body"])
        for value in [*args, *kwargs.values()]:
            assert isinstance(value, int) or (isinstance(value, str) and len(value) <= 64), (
                message["task"],
                value,
            )


def _arguments(body: Any) -> tuple[list[Any], dict[str, Any]]:
    """(args, kwargs) of a Celery protocol-2 body (a tuple, or its JSON/base64 text)."""
    if isinstance(body, bytes | str):
        try:
            body = json.loads(body)
        except ValueError:
            body = json.loads(base64.b64decode(body))
    args, kwargs = body[0], body[1]
    return list(args), dict(kwargs)
