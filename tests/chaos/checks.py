"""What "exactly once" means, read from the database and the media folder (RELIABILITY §4.8):
one certificate per approved case, its file on disk with the sha256 of the row, the case delivered
once; no message sent twice."""

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.chaos.conftest import Stack


def certificate_problems(stack: "Stack", ids: list[int]) -> list[str]:
    """Every way the certificates `ids` are not issued exactly once (empty when all are)."""
    problems = []
    for pk, status, sha, name, source_ref in stack.sql(
        "SELECT id, status, sha256, file, source_ref FROM certificates_certificate"
        " WHERE id = ANY(%s) ORDER BY id",
        ids,
    ):
        if status != "VALID":
            problems.append(f"certificate {pk} is {status}")
            continue
        path = stack.media / name
        if not path.is_file():
            problems.append(f"certificate {pk}: file {name} missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            problems.append(f"certificate {pk}: file {name} does not match its sha256")
        copies = stack.value(
            "SELECT count(*) FROM certificates_certificate WHERE source_ref = %s", source_ref
        )
        if copies != 1:
            problems.append(f"case {source_ref}: {copies} certificates")
        delivered = stack.value(
            "SELECT count(*) FROM applications_applicationevent e"
            " JOIN applications_application a ON a.id = e.application_id"
            " WHERE a.reference = %s AND e.kind = 'DELIVERED'",
            source_ref,
        )
        if delivered != 1:
            problems.append(f"case {source_ref}: delivered {delivered} times")
    return problems


def orphan_files(stack: "Stack") -> int:
    """Certificate files on disk that no row references (a worker died between write and commit)."""
    referenced = {
        name for (name,) in stack.sql("SELECT file FROM certificates_certificate WHERE file <> ''")
    }
    folder = stack.media / "certificates"
    on_disk = (
        {str(p.relative_to(stack.media)) for p in folder.rglob("*.pdf")}
        if folder.exists()
        else set()
    )
    return len(on_disk - referenced)


def statuses(stack: "Stack", ids: list[int]) -> dict[int, tuple[str, int]]:
    return {
        pk: (status, attempts)
        for pk, status, attempts in stack.sql(
            "SELECT id, status, attempts FROM certificates_certificate WHERE id = ANY(%s)", ids
        )
    }


def all_valid(stack: "Stack", ids: list[int]) -> bool:
    return all(status == "VALID" for status, _ in statuses(stack, ids).values())


def media_path(stack: "Stack", name: str) -> Path:
    return stack.media / name
