"""申报号 and 查询号 (DOMAIN §6.1).

reference = 实施编码 + YYYYMMDD + a 6-digit daily sequence per matter: unique, sortable, traceable
to the matter, free of personal data. query_no = YYMMDD + 6 random digits, short enough to read
out on the phone.
"""

import secrets
from datetime import date

from applications.models import Application, ReferenceCounter
from matters.models import Matter


def reference_next(*, matter: Matter, day: date) -> str:
    """Take the next number of `matter` for `day`; the counter row stays locked until commit."""
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
        matter=matter, day=day
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{matter.implementation_code}{day:%Y%m%d}{counter.last:06d}"


def query_no_new(*, day: date) -> str:
    """A fresh query number not used yet (checked; the unique index is the last word)."""
    while True:
        candidate = f"{day:%y%m%d}{secrets.randbelow(10**6):06d}"
        if not Application.objects.filter(query_no=candidate).exists():
            return candidate
