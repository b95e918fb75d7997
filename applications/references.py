"""申报号 and 查询号 (DOMAIN §6.1).

reference = 实施编码 + YYYYMMDD + a 6-digit daily sequence per matter: unique, sortable, traceable
to the matter, free of personal data. query_no = YYMMDD + 6 random digits, short enough to read
out on the phone.
"""

import secrets
from datetime import date

from django.db import connection

from applications.models import Application, ReferenceCounter
from matters.models import Matter


def reference_next(*, matter: Matter, day: date) -> str:
    """Take the next number of `matter` for `day`; the counter row stays locked until commit.

    One upsert statement (PostgreSQL and SQLite ≥ 3.35 both support ON CONFLICT … RETURNING):
    concurrent submissions of the same matter queue on the row and each gets the next number.
    """
    table = ReferenceCounter._meta.db_table
    with connection.cursor() as cursor:
        # nosemgrep: tongban-raw-sql-format -- our own table name; values bound
        cursor.execute(
            f"INSERT INTO {table} (matter_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608  # nosec B608  # our table name
            f"ON CONFLICT (matter_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [matter.pk, day],
        )
        row = cursor.fetchone()
    assert row is not None
    return f"{matter.implementation_code}{day:%Y%m%d}{int(row[0]):06d}"


def query_no_new(*, day: date) -> str:
    """A fresh query number not used yet (checked; the unique index is the last word)."""
    while True:
        candidate = f"{day:%y%m%d}{secrets.randbelow(10**6):06d}"
        if not Application.objects.filter(query_no=candidate).exists():
            return candidate
