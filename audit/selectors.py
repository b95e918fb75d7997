"""Read use cases of the audit log: verifying the chain against the table and the anchors."""

from pathlib import Path

from django.conf import settings

from audit.chain import HASHED_FIELDS, Anchor, ChainReport, anchors_read, chain_verify
from audit.choices import AuditAction
from audit.models import AuditEvent


def audit_chain_check(*, anchor_path: Path | None = None, use_anchors: bool = True) -> ChainReport:
    """Recompute the whole chain (oldest remaining row first) and compare it with the anchors
    in AUDIT_ANCHOR_PATH when a key is configured to check their signatures."""
    anchors: list[Anchor] = []
    anchor_problems: list[str] = []
    key = str(settings.AUDIT_ANCHOR_KEY or "")
    if use_anchors and key:
        path = anchor_path or Path(settings.AUDIT_ANCHOR_PATH)
        anchors, anchor_problems = anchors_read(path, key=key)
    rows = (
        AuditEvent.objects.order_by("seq").values(*HASHED_FIELDS, "hash").iterator(chunk_size=2000)
    )
    purges = AuditEvent.objects.filter(action=AuditAction.AUDIT_PURGE).values("detail")
    report = chain_verify(rows, purges=purges, anchors=anchors)
    report.problems.extend(anchor_problems)
    return report
