"""The seed of `make bench` (benchmarks/suite.py): one database with everything at once.

In order, into a freshly migrated database:

1. the catalogue: 10,000 published matters (benchmarks/seed.py, COPY);
2. the applications: 42 matters of 11 departments with forms and review chains, their staff,
   100,000 applicant accounts and 1,000,000 cases in every status (benchmarks/seed_applications.py);
3. their trails: one `ApplicationEvent` per step each case went through (received, accepted,
   not accepted, decided, delivered, withdrawn, voided), written by INSERT … SELECT from the cases;
4. certificates: a certificate type and a signing key per department, each matter's version pointing
   at its department's type, and 200,000 VALID certificates of approved, delivered cases in the
   holders' wallets (COPY; the files are not rendered: the wallet and the verification page read
   the row, and the issuance journey renders real ones);
5. 200,000 ratings, the cards and the daily figures (benchmarks/seed_supervision.py).

Every phase is timed; the report says how long each took and how many rows it wrote.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from benchmarks import seed, seed_applications, seed_supervision
from benchmarks.personal_data import Sealer

TYPE_PREFIX = "BENCHZZ"  # + the department's serial: 11 certificate types, one per department


@dataclass
class SuiteSeedReport:
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


# One trail entry per step a case went through: (kind, to_status, moment column, condition, actor).
# The actor is the applicant for what the applicant did, the case's handler for the rest.
TRAIL_STEPS: tuple[tuple[str, str, str, str, str], ...] = (
    ("SUBMITTED", "RECEIVED", "received_at", "channel = 'ONLINE' AND received_at IS NOT NULL", "applicant_id"),
    ("FILED_AT_WINDOW", "RECEIVED", "received_at", "channel = 'WINDOW' AND received_at IS NOT NULL", "filed_by_id"),
    ("ACCEPTED", "IN_REVIEW", "accepted_at", "accepted_at IS NOT NULL", "assignee_id"),
    ("NOT_ACCEPTED", "NOT_ACCEPTED", "closed_at", "status = 'NOT_ACCEPTED'", "assignee_id"),
    ("RETURNED", "RETURNED", "closed_at", "status = 'RETURNED'", "NULL"),
    ("STEP_PASSED", "IN_REVIEW", "decided_at - interval '2 hours'", "decided_at IS NOT NULL", "assignee_id"),
    ("APPROVED", "APPROVED", "decided_at", "outcome = 'APPROVED'", "assignee_id"),
    ("REJECTED", "REJECTED", "decided_at", "outcome = 'REJECTED'", "assignee_id"),
    ("DELIVERED", "COMPLETED", "completed_at", "completed_at IS NOT NULL", "NULL"),
    ("WITHDRAWN", "WITHDRAWN", "closed_at", "status = 'WITHDRAWN'", "applicant_id"),
    ("VOIDED", "VOID", "closed_at", "status = 'VOID'", "assignee_id"),
)  # fmt: skip


def trails_seed() -> int:
    """INSERT … SELECT the trail of every case from its own timestamps (one statement per kind)."""
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        # No foreign-key or append-only triggers while loading: every key comes from the cases.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DROP INDEX IF EXISTS event_by_application")
        for kind, to_status, moment, condition, actor in TRAIL_STEPS:
            select = (  # the columns and conditions are the constants above
                f"SELECT id, %s, {actor}, '', '', %s, '', '', '{{}}'::jsonb, {moment}, "  # noqa: S608
                f"'{{}}'::jsonb FROM applications_application WHERE {condition}"
            )
            cursor.execute(
                "INSERT INTO applications_applicationevent (application_id, kind, actor_id, "
                "actor_role, from_status, to_status, step_name, note, data, at, deadlines) "
                + select,
                [kind, to_status],
            )
            written += cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX event_by_application ON applications_applicationevent "
            "(application_id, at)"
        )
    return written


def certificate_types_ensure(now: dt.datetime) -> dict[int, int]:
    """A certificate type and a signing key for each department with seeded cases; every version of
    its matters names that type as its result. Returns {department id: type id}."""
    from certificates.choices import HolderKind
    from certificates.models import CertificateType
    from certificates.rendering import default_template
    from certificates.services import signing_keys_ensure
    from matters.models import Department, MatterVersion

    html, css = default_template()
    types: dict[int, int] = {}
    departments = [
        Department.objects.get(uscc=seed_applications.department_code(region, serial))
        for serial, _n, _s, region, _share in seed_applications.DEPARTMENTS
    ]
    for index, department in enumerate(departments, 1):
        code = f"{TYPE_PREFIX}{index:02d}"
        certificate_type, _made = CertificateType.objects.get_or_create(
            code=code,
            defaults={
                "name": f"{department.short_name or department.name}准予许可决定书",
                "department": department,
                "holder_kind": HolderKind.PERSON,
                "number_prefix": f"B{index:02d}",
                "validity_years": 5,
                "allow_multiple": True,  # a holder keeps each decision of every case
                "template_html": html,
                "template_css": css,
            },
        )
        types[department.pk] = certificate_type.pk
        # The bench's versions are published, so immutable (a trigger refuses the update): set
        # their result as the catalogue would have had it from the start.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        MatterVersion.objects.filter(matter__department=department).update(
            result_certificate_type=code
        )
    signing_keys_ensure(departments=departments, now=now)
    return types


def _certificate_rows(
    types: dict[int, tuple[int, str, str, str, str]], count: int, now: dt.datetime
) -> Iterator[dict[str, object]]:
    from certificates.identifiers import Identifier

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, reference, department_id, applicant_id, applicant_name, "
            "applicant_id_number, completed_at FROM applications_application "
            "WHERE status = 'COMPLETED' AND outcome = 'APPROVED' AND applicant_id IS NOT NULL "
            "ORDER BY id LIMIT %s",
            [count],
        )
        rows = cursor.fetchall()
    # The cases' applicant_id_number is a token already: the holder code reuses it (it decrypts to
    # the same ID number) and the blind index needs the value, decrypted once per applicant.
    sealer = Sealer()
    for pk, (app_id, reference, department_id, user_id, name, id_token, completed) in enumerate(
        rows, 1
    ):
        type_id, type_code, prefix, issuer_code, issuer_name = types[department_id]
        issued = completed or now
        serial = f"{issued.year}{pk:010d}"
        yield {
            "id": pk,
            "type_id": type_id,
            "identifier": str(Identifier(type_code, issuer_code, serial, "001")),
            "number": f"{prefix}{serial}",
            "status": "VALID",
            "holder_name": name,
            "holder_code": id_token,
            "holder_code_index": sealer.index(sealer.plain(id_token), kind="holder_code"),
            "holder_code_type": "111",
            "holder_user_id": user_id,
            "issuer_id": department_id,
            "issuer_name": issuer_name,
            "issuer_code": issuer_code,
            "source_ref": reference or f"bench-{app_id}",
            "requested_at": issued,
            "issued_at": issued,
            "valid_from": issued.date(),
            "valid_until": issued.date() + dt.timedelta(days=5 * 365),
            "file": f"certificates/bench-{pk}.pdf",
            "sha256": f"{app_id:064x}",
            "size": 80_000,
            "created_at": issued,
            "updated_at": issued,
        }


def certificates_seed(count: int, now: dt.datetime) -> int:
    from certificates.models import Certificate, CertificateType

    type_ids = certificate_types_ensure(now)
    described = {
        t.pk: (t.pk, t.code, t.number_prefix, t.department.uscc, t.department.name)
        for t in CertificateType.objects.select_related("department").filter(
            pk__in=type_ids.values()
        )
    }
    types = {department: described[type_id] for department, type_id in type_ids.items()}
    table = seed.Table(Certificate)
    rows = [table.row(r) for r in _certificate_rows(types, count, now)]  # read before the COPY
    written = seed.copy_rows(table, rows)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('certificates_certificate', 'id'), "
            "(SELECT max(id) FROM certificates_certificate))"
        )
    sample_file_use(now)
    return written


def sample_file_use(now: dt.datetime) -> bool:
    """Issue the first certificate for real (render, QR, sign, store in MEDIA_ROOT) and point every
    other seeded row at its file, so the verification page reads and checks a real signed PDF.
    Does nothing when that file is in the storage already; returns whether it issued one."""
    from django.core.files.storage import default_storage
    from django.db.models import Q

    from certificates.models import Certificate
    from certificates.services import certificate_issue

    first = Certificate.objects.order_by("pk").first()
    if first is None or (first.file and default_storage.exists(str(first.file.name))):
        return False
    old = first.file.name or "certificates/bench-"
    Certificate.objects.filter(pk=first.pk).update(
        status="PENDING", sha256="", issued_at=None, file=""
    )
    issued = certificate_issue(certificate_id=first.pk, now=now)
    if issued.status != "VALID":
        raise RuntimeError(f"the sample certificate was not issued: {issued.last_error}")
    Certificate.objects.exclude(pk=first.pk).filter(
        Q(file=old) | Q(file__startswith="certificates/bench-")
    ).update(file=issued.file.name, sha256=issued.sha256, size=issued.size)
    return True


def seed_all(
    *, matters: int, applications: int, certificates: int, ratings: int
) -> SuiteSeedReport:
    report = SuiteSeedReport()
    started = time.perf_counter()

    t0 = time.perf_counter()
    catalogue = seed.seed(matters)
    report.phases[f"catalogue: {matters:,} matters (COPY)"] = time.perf_counter() - t0
    report.rows["matters (catalogue)"] = matters

    t0 = time.perf_counter()
    cases = seed_applications.seed(applications)
    report.phases[f"applications: {applications:,} cases, 100,000 applicants (COPY)"] = (
        time.perf_counter() - t0
    )
    report.rows |= dict(cases.rows.items())
    del catalogue

    t0 = time.perf_counter()
    report.rows["trail events"] = trails_seed()
    report.phases["trails (INSERT … SELECT, one per kind)"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        report.rows["certificates"] = certificates_seed(certificates, now)
    report.phases[f"certificates: {certificates:,} (COPY) + types and signing keys"] = (
        time.perf_counter() - t0
    )

    t0 = time.perf_counter()
    supervision = seed_supervision.seed(ratings)
    report.phases[f"ratings ({ratings:,}), cards and daily figures"] = time.perf_counter() - t0
    report.rows["ratings"] = supervision.rows.get("ratings", 0)
    report.rows["cards"] = supervision.rows.get("cards", 0)
    report.rows["daily figures"] = supervision.refresh_full_rows

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    report.phases["VACUUM ANALYZE"] = time.perf_counter() - t0
    report.seconds = time.perf_counter() - started
    return report
