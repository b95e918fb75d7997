"""`python -m tests.chaos.dast.citizens OUT.json --matter-of DRAFT_ID`: two citizens, A and B, for
the scanners, each signed in (a session row) with few objects of their own, so that a crawl reaches
every kind of page without wading through the seed clients' 100 drafts each.

A has two complete drafts and one submitted case (RECEIVED); B has one draft. Runs with
portal.settings.test like tests/harness/seed.py: the submission's tasks go nowhere."""

import argparse
import json
import os
import sys
from importlib import import_module
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--matter-of", type=int, required=True, help="a seed draft: its matter")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django
    from django.conf import settings

    django.setup()
    settings.MEDIA_ROOT = os.environ["MEDIA_ROOT"]  # the stack's media folder, as the seed does

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from accounts.services import citizen_create
    from applications.models import Application
    from applications.services import application_submit
    from tests.applications.conftest import _valid_id, draft_ready

    matter = Application.objects.get(pk=args.matter_of).matter
    engine = import_module(settings.SESSION_ENGINE)
    out: dict[str, Any] = {}
    for index, (name, drafts, submitted) in enumerate([("A", 2, 1), ("B", 1, 0)]):
        citizen = citizen_create(
            password="pw-citizen-1",
            real_name=f"扫描{name}",
            id_number=_valid_id("19700101", serial=f"{900 + index:03d}"),
            mobile=f"1390000090{index}",
        )
        session = engine.SessionStore()
        session[SESSION_KEY] = str(citizen.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = citizen.get_session_auth_hash()
        session.create()
        own = [draft_ready(citizen, matter) for _ in range(drafts + submitted)]
        cases = [
            application_submit(user=citizen, application_id=a.pk, now=timezone.now())
            for a in own[drafts:]
        ]
        out[name] = {
            "user": citizen.pk,
            "real_name": citizen.real_name,
            "session": session.session_key,
            "drafts": [a.pk for a in own[:drafts]],
            "cases": [c.pk for c in cases],
            "references": [c.reference for c in cases],
        }
    out["session_cookie"] = settings.SESSION_COOKIE_NAME
    out["csrf_cookie"] = settings.CSRF_COOKIE_NAME
    args.out.write_text(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
