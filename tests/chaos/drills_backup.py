"""Backup and restore as the operators' scripts do it, for the restore drills REL-BK-03/04: the
database with `pg_dump -Fc`, then the media root copied (files are written before their rows
commit, so a copy taken after the dump holds every file the dump references; files newer than
the dump are orphans), restored into a fresh database and a fresh media root."""

import hashlib
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests.chaos.conftest import Stack
from tests.harness.pg import PgCluster, _as_postgres
from tests.harness.processes import run

# Every column that names a stored file, with the column of its recorded SHA-256 ("" for none).
# Materials record a digest only for uploads (the other sources point at files kept elsewhere),
# as `applications.files.material_files_reconcile` does.
FILE_COLUMNS = (
    ("applications_applicationmaterial", "file", "CASE WHEN source = 'UPLOAD' THEN sha256 END"),
    ("certificates_certificate", "file", "sha256"),
    ("matters_material", "blank_form", "NULL"),
    ("matters_material", "sample", "NULL"),
)
STORED_AREAS = ("applications", "certificates", "matters")


@dataclass(frozen=True)
class Backup:
    dump: Path
    media: Path
    seconds: float


@dataclass
class FileCheck:
    """Every file the rows of one database reference, checked against one media root."""

    referenced: int = 0
    verified: int = 0
    missing: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.altered


def backup_take(stack: Stack, into: Path, *, media: bool = True) -> Backup:
    """`pg_dump -Fc` of the stack's database (into the cluster's directory), then a copy of its
    media root into `into/media` (with `media` False the caller copies it later)."""
    into.mkdir(parents=True, exist_ok=True)
    # pg_dump runs as `postgres`, which may not enter the test's temporary directory.
    dump = stack.cluster.root / f"{stack.database}-{uuid.uuid4().hex[:6]}.dump"
    start = time.monotonic()
    run(
        [
            str(stack.cluster.bin / "pg_dump"),
            "-Fc",
            "-f",
            str(dump),
            stack.cluster.url(stack.database),
        ],
        **_as_postgres(),
    )
    if media:
        media_copy(stack.media, into / "media")
    return Backup(dump=dump, media=into / "media", seconds=time.monotonic() - start)


def media_copy(source: Path, target: Path) -> Path:
    """`cp -a` of a media root (modes and times kept)."""
    run(["cp", "-a", str(source), str(target)])
    return target


def backup_restore(cluster: PgCluster, backup: Backup, media_root: Path) -> str:
    """`pg_restore` into a new database of `cluster` and copy the media into `media_root`;
    returns the new database's name."""
    name = f"restored_{uuid.uuid4().hex[:8]}"
    cluster.create_database(name, template="template0")
    run(
        [str(cluster.bin / "pg_restore"), "--no-owner", "-d", cluster.url(name), str(backup.dump)],
        **_as_postgres(),
    )
    shutil.rmtree(media_root, ignore_errors=True)
    media_copy(backup.media, media_root)
    return name


def files_check(cluster: PgCluster, database: str, media_root: Path) -> FileCheck:
    """Read the file columns straight from the tables (not through the app), hash each file."""
    references: dict[str, str] = {}
    for table, column, digest in FILE_COLUMNS:
        if not cluster.scalar("SELECT to_regclass(%s) IS NOT NULL", (table,), database=database):
            continue
        rows = cluster.rows(
            # Table and column names are the constants above, not input.
            f"SELECT {column}, coalesce({digest}, '') FROM {table} WHERE {column} <> ''",  # noqa: S608
            database=database,
        )
        references.update({str(name): str(sha) for name, sha in rows})
    check = FileCheck(referenced=len(references))
    for name, expected in sorted(references.items()):
        path = media_root / name
        if not path.is_file():
            check.missing.append(name)
        elif expected and sha256_of(path) != expected:
            check.altered.append(name)
        else:
            check.verified += 1
    for area in STORED_AREAS:
        for path in sorted((media_root / area).rglob("*")):
            name = path.relative_to(media_root).as_posix()
            if path.is_file() and name not in references:
                check.orphans.append(name)
    return check


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
