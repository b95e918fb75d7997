"""`python -m tests.harness.seed OUT.json [--cases N] [--clients C --drafts D] [--poison]`: fill the
database of DATABASE_URL for the chaos tests, then write what the tests need as JSON.

Runs with portal.settings.test (tasks go to an in-memory broker nobody reads), so every certificate
the approvals ask for stays PENDING: the test sends its task to the stack's Redis when it wants it.
What it makes: the certificates test world; N food-licence cases approved, one applicant each, with
a certificate layout slow enough (~2 s) to kill a worker in the middle of it; C citizens with a
signed-in session each and D complete drafts each; with --poison, one pending certificate of the
type the poison hook crashes on (REL-WK-03). Always: the market department's window clerk with a
signed-in session that has passed the second factor, and what a client needs to file a food-licence
draft through the API ("load": the load tests, tests/chaos/load)."""

import argparse
import datetime as dt
import json
import os
import sys
from importlib import import_module
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--cases", type=int, default=0)
    parser.add_argument("--clients", type=int, default=0)
    parser.add_argument("--drafts", type=int, default=0)
    parser.add_argument("--poison", action="store_true")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django
    from django.conf import settings

    django.setup()
    settings.MEDIA_ROOT = os.environ["MEDIA_ROOT"]  # test.py picks a temp dir; the stack reads this

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts.services import citizen_create
    from applications import services as application_services
    from certificates.models import Certificate, CertificateType
    from tests.applications.conftest import NOW, _valid_id, draft_ready
    from tests.certificates.conftest import (
        FOOD_TYPE,
        SENIOR_TYPE,
        case_at_decision,
        requested,
        world_build,
    )

    world = world_build()
    food = CertificateType.objects.get(code=FOOD_TYPE)
    # ~1 s of layout that prints nothing: a clipped 1 mm box of text (tests/flows/test_worker.py).
    food.template_html = food.template_html.replace(
        "</body>",
        '<div style="position:absolute;top:0;left:0;width:20mm;height:1mm;overflow:hidden">'
        "{% lorem 3000 p %}</div></body>",
    )
    food.save(update_fields=["template_html"])
    birth = dt.date(1960, 1, 1)

    def new_citizen(index: int, kind: str) -> Any:
        day = birth + dt.timedelta(days=index + (20000 if kind == "client" else 0))
        return citizen_create(
            password="pw-citizen-1",
            real_name=f"测试{kind}{index}",
            id_number=_valid_id(day.strftime("%Y%m%d"), serial=f"{index % 1000:03d}"),
            mobile=f"13{5 if kind == 'client' else 1}{index:08d}",
        )

    out: dict[str, Any] = {"certificates": [], "clients": [], "poison": None}
    for index in range(args.cases):
        people = {**world, "applicant": new_citizen(index, "case")}
        case = case_at_decision(people)
        approved = application_services.application_approve(
            user=world["approver"], application_id=case.pk, now=NOW + dt.timedelta(hours=3)
        )
        certificate = Certificate.objects.get(source_ref=approved.reference)
        out["certificates"].append(certificate.pk)

    if args.poison:
        poisoned = requested(world["other_citizen"], SENIOR_TYPE, source_ref="chaos-poison")
        out["poison"] = poisoned.pk
        out["poison_type"] = SENIOR_TYPE

    engine = import_module(settings.SESSION_ENGINE)
    for index in range(args.clients):
        citizen = new_citizen(index, "client")
        session = engine.SessionStore()
        session[SESSION_KEY] = str(citizen.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = citizen.get_session_auth_hash()
        session.create()
        drafts = [
            draft_ready(citizen, world["workflow_catalogue"]["food"], now=NOW).pk
            for _ in range(args.drafts)
        ]
        out["clients"].append({"session": session.session_key, "drafts": drafts})
    out["load"] = load_world(world, engine)
    out["session_cookie"] = settings.SESSION_COOKIE_NAME
    out["csrf_cookie"] = settings.CSRF_COOKIE_NAME
    args.out.write_text(json.dumps(out))


def load_world(world: dict[str, Any], engine: Any) -> dict[str, Any]:
    """The clerk's session and the food-licence form as the API takes it (what draft_ready does
    through the services), for clients that know nothing of Django."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.applications.conftest import GOOD_ANSWERS

    clerk = world["clerk"]
    # A session that passed the second factor, as django_otp.login leaves it: a TOTP code is good
    # once per 30-s step, so clients sharing the account cannot each sign in with one.
    device = TOTPDevice.objects.create(user=clerk, name="authenticator", confirmed=True)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(clerk.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = clerk.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return {
        "clerk_session": session.session_key,
        "matter": world["workflow_catalogue"]["food"].implementation_code,
        "situation": {"Q1": "Q1A"},
        "answers": {**GOOD_ANSWERS, "agent_name": "王代办"},
        "delivery_method": "ELECTRONIC",
        "uploads": ["M01", "M02"],
        "alternatives": {"M04": "DEFICIENCY", "M05": "COMMITMENT"},
    }


if __name__ == "__main__":
    main(sys.argv[1:])
