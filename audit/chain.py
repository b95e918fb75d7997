"""The hash chain: canonical form of a row, its hash, and verification of the whole table.

hash(row) = SHA-256(canonical JSON of the row's fields, `prev_hash` included), where canonical
means sorted keys, no whitespace, UTF-8, and `ts` as `YYYY-MM-DDTHH:MM:SS.ffffffZ` in UTC. The
first row ever written links to GENESIS; after a purge, the oldest remaining row links to the
last purged one, whose seq and hash the purge's own audit event records.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq", "ts", "actor_id", "actor_label", "role", "action", "object_type", "object_id",
    "result", "source_ip", "request_id", "detail", "prev_hash",
)  # fmt: skip


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace: one text for one value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def ts_text(moment: datetime) -> str:
    """The fixed text of a timestamp in the hash (UTC, microseconds, `Z`)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_hash(row: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of a row given as a mapping of HASHED_FIELDS."""
    payload = {name: row[name] for name in HASHED_FIELDS}
    payload["ts"] = ts_text(row["ts"])
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def anchor_mac(*, key: str, body: Mapping[str, Any]) -> str:
    """HMAC-SHA256 (hex) of an anchor's body, keyed with AUDIT_ANCHOR_KEY."""
    message = canonical_json(dict(body)).encode("utf-8")
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Anchor:
    """A signed record of the chain's head at one moment, kept off the database."""

    seq: int
    hash: str
    ts: str


def anchors_read(path: Path, *, key: str) -> tuple[list[Anchor], list[str]]:
    """The anchors in `path` whose signature holds, and a problem for each line that does not."""
    anchors: list[Anchor] = []
    problems: list[str] = []
    if not path.exists():
        return anchors, problems
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            anchor = Anchor(seq=int(entry["seq"]), hash=str(entry["hash"]), ts=str(entry["ts"]))
            mac = str(entry["mac"])
        except (ValueError, KeyError, TypeError):
            problems.append(f"anchor line {number}: unreadable")
            continue
        body = {"seq": anchor.seq, "hash": anchor.hash, "ts": anchor.ts}
        if not hmac.compare_digest(mac, anchor_mac(key=key, body=body)):
            problems.append(f"anchor line {number}: signature does not match (seq {anchor.seq})")
            continue
        anchors.append(anchor)
    return anchors, problems


@dataclass
class ChainReport:
    """What verification found. `ok` only when there is no problem at all."""

    count: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    head_hash: str = ""
    altered: list[int] = field(default_factory=list)  # row hash does not match its content
    gaps: list[tuple[int, int]] = field(default_factory=list)  # missing seq ranges, inclusive
    forks: list[int] = field(default_factory=list)  # prev_hash is not the previous row's hash
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, text: str) -> None:
        self.problems.append(text)


def _purge_marker(rows: Iterable[Mapping[str, Any]]) -> tuple[int, str] | None:
    """The (seq, hash) of the last row removed by the latest purge, as its event recorded it."""
    best: tuple[int, str] | None = None
    for row in rows:
        through = row["detail"].get("through_seq")
        if isinstance(through, int) and (best is None or through > best[0]):
            best = (through, str(row["detail"].get("through_hash", "")))
    return best


def chain_verify(
    rows: Iterator[Mapping[str, Any]],
    *,
    purges: Iterable[Mapping[str, Any]] = (),
    anchors: Iterable[Anchor] = (),
) -> ChainReport:
    """Recompute every hash of `rows` (in seq order) and check the links, the seq numbering,
    the start of the chain (genesis or the latest purge) and the anchored heads."""
    report = ChainReport()
    previous: Mapping[str, Any] | None = None
    anchored = {anchor.seq: anchor for anchor in anchors}
    for row in rows:
        seq = int(row["seq"])
        report.count += 1
        if previous is None:
            report.first_seq = seq
            _check_start(row, _purge_marker(purges), report)
        elif seq != int(previous["seq"]) + 1:
            missing = (int(previous["seq"]) + 1, seq - 1)
            report.gaps.append(missing)
            report.problem(f"gap: seq {missing[0]}–{missing[1]} missing (deleted rows)")
        elif row["prev_hash"] != previous["hash"]:
            report.forks.append(seq)
            report.problem(f"broken link at seq {seq}: prev_hash is not seq {seq - 1}'s hash")
        if row_hash(row) != row["hash"]:
            report.altered.append(seq)
            report.problem(f"altered row: seq {seq} does not match its hash")
        anchor = anchored.get(seq)
        if anchor is not None and anchor.hash != row["hash"]:
            report.problem(f"anchor mismatch: seq {seq} differs from the anchored hash")
        previous = row
    if previous is not None:
        report.last_seq = int(previous["seq"])
        report.head_hash = str(previous["hash"])
    last = report.last_seq or 0
    for anchor in anchored.values():
        if anchor.seq > last:
            report.problem(
                f"truncated: anchor of {anchor.ts} records seq {anchor.seq}, "
                f"but the chain ends at seq {last} ({anchor.seq - last} rows missing)"
            )
    return report


def _check_start(
    row: Mapping[str, Any], marker: tuple[int, str] | None, report: ChainReport
) -> None:
    seq = int(row["seq"])
    if seq == 1:
        if row["prev_hash"] != GENESIS:
            report.forks.append(seq)
            report.problem("broken link at seq 1: does not start from genesis")
        return
    if marker is None:
        report.gaps.append((1, seq - 1))
        report.problem(f"gap: seq 1–{seq - 1} missing and no purge recorded")
    elif marker[0] != seq - 1:
        report.gaps.append((marker[0] + 1, seq - 1))
        report.problem(
            f"gap: seq {marker[0] + 1}–{seq - 1} missing (the last purge ended at seq {marker[0]})"
        )
    elif marker[1] != row["prev_hash"]:
        report.forks.append(seq)
        report.problem(f"broken link at seq {seq}: does not follow the purged seq {marker[0]}")
