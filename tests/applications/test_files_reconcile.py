"""`manage.py reconcile_files`: orphans deleted after the grace period, missing and altered files
reported (RELIABILITY §2.6, §2.9, REL-FS-01), with real files in a MEDIA_ROOT of the test's own."""

import datetime as dt
import os
from io import StringIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

import pytest
from pytest_django import Settings

from accounts.models import User
from applications import services
from applications.files import material_files_reconcile
from applications.models import ApplicationMaterial
from certificates.services.storage import certificate_files_reconcile
from matters.models import Matter
from portal.tasks import reconcile_files_task
from tests.applications.conftest import NOW, PDF, shared

pytestmark = pytest.mark.django_db

workflow_catalogue = shared("workflow_catalogue")
applicant = shared("applicant")

DAY = 24 * 3600


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.CLAMAV_URL = ""
    return tmp_path


def _file(media: Path, name: str, content: bytes = b"x", *, age_hours: float = 0) -> Path:
    path = media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    when = timezone.now().timestamp() - age_hours * 3600
    os.utime(path, (when, when))
    return path


def _uploaded(applicant: User, matter: Matter, key: str = "M01") -> ApplicationMaterial:
    draft = services.application_draft_create(applicant=applicant, matter_id=matter.pk, now=NOW)
    return services.application_material_upload(
        user=applicant,
        application_id=draft.pk,
        material_key=key,
        file=SimpleUploadedFile("a.pdf", PDF),
        now=NOW,
    )


def test_old_orphans_are_deleted_young_ones_and_referenced_files_kept(
    media: Path, applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    material = _uploaded(applicant, workflow_catalogue["food"])
    referenced = media / str(material.file.name)
    os.utime(referenced, (0, 0))  # however old, a referenced file stays
    old = _file(media, "applications/2025/06/0123456789abcdef0123456789abcdef.pdf", age_hours=25)
    partial = _file(media, "applications/2025/06/.deadbeef.part", age_hours=30)  # killed mid-write
    young = _file(media, "applications/2025/06/fedcba9876543210fedcba9876543210.pdf", age_hours=1)
    certificate_orphan = _file(media, "certificates/2025/7.pdf", age_hours=48)
    matters_file = _file(media, "matters/forms/blank.pdf", age_hours=999)

    uploads = material_files_reconcile(now=timezone.now())
    certificates = certificate_files_reconcile(now=timezone.now())

    assert sorted(uploads.orphans_deleted) == sorted(
        [str(old.relative_to(media)), str(partial.relative_to(media))]
    )
    assert (uploads.orphans_young, uploads.verified, uploads.ok) == (1, 1, True)
    assert certificates.orphans_deleted == ["certificates/2025/7.pdf"]
    assert referenced.exists()
    assert young.exists()
    assert matters_file.exists()  # outside the reconciled folders
    assert not old.exists()
    assert not partial.exists()
    assert not certificate_orphan.exists()


def test_missing_and_altered_files_are_reported_not_touched(
    media: Path, applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    gone = _uploaded(applicant, workflow_catalogue["food"], "M01")
    altered = _uploaded(applicant, workflow_catalogue["elder"], "M01")
    (media / str(gone.file.name)).unlink()
    (media / str(altered.file.name)).write_bytes(PDF + b"tampered")

    report = material_files_reconcile(now=timezone.now())

    assert report.missing == [gone.file.name]
    assert report.altered == [altered.file.name]
    assert report.ok is False
    assert (media / str(altered.file.name)).read_bytes() == PDF + b"tampered"
    assert ApplicationMaterial.objects.count() == 2


def test_the_command_prints_counts_and_fails_when_files_are_missing(
    media: Path, applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    kept = _uploaded(applicant, workflow_catalogue["food"], "M01")
    _file(media, "applications/2025/01/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.pdf", age_hours=72)
    out = StringIO()

    call_command("reconcile_files", stdout=out)

    assert out.getvalue().splitlines() == [
        "applications: referenced=1 verified=1 missing=0 altered=0 orphans deleted=1 "
        "orphans_young=0",
        "certificates: referenced=0 verified=0 missing=0 altered=0 orphans deleted=0 "
        "orphans_young=0",
    ]
    (media / str(kept.file.name)).unlink()
    out = StringIO()
    with pytest.raises(CommandError, match="missing or altered"):
        call_command("reconcile_files", stdout=out)
    assert f"  missing: {kept.file.name}" in out.getvalue()


def test_a_dry_run_deletes_nothing(media: Path) -> None:
    orphan = _file(media, "applications/2025/01/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.pdf", age_hours=72)
    out = StringIO()

    call_command("reconcile_files", "--dry-run", stdout=out)

    assert "applications: referenced=0 verified=0 missing=0 altered=0 would delete=1" in (
        out.getvalue()
    )
    assert orphan.exists()


def test_the_grace_period_can_be_shortened(media: Path) -> None:
    orphan = _file(media, "applications/2025/01/cccccccccccccccccccccccccccccccc.pdf", age_hours=2)

    call_command("reconcile_files", "--grace-hours", "1", stdout=StringIO())

    assert not orphan.exists()


def test_the_nightly_job_returns_the_counts(media: Path) -> None:
    _file(media, "certificates/2024/9.pdf", age_hours=48)

    counts = reconcile_files_task()

    assert counts["certificates_orphans_deleted"] == 1
    assert counts["applications_missing"] == 0


def test_a_file_written_moments_ago_is_never_taken_even_with_a_short_grace(media: Path) -> None:
    """An upload whose transaction has not committed yet has no row: the grace period saves it."""
    fresh = _file(media, "applications/2025/01/dddddddddddddddddddddddddddddddd.pdf")

    report = material_files_reconcile(now=timezone.now(), grace=dt.timedelta(minutes=5))

    assert report.orphans_deleted == []
    assert fresh.exists()


def test_request_bodies_left_in_the_upload_temp_dir_are_removed_after_the_grace(
    media: Path, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A web worker killed mid-upload leaves Django's spooled body behind (REL-FS-01)."""
    temp = tmp_path_factory.mktemp("upload-tmp")
    settings.FILE_UPLOAD_TEMP_DIR = str(temp)
    old = _file(temp, "tmpab12cd.upload.pdf", age_hours=30)
    young = _file(temp, "tmpef34gh.upload.pdf", age_hours=1)
    unrelated = _file(temp, "notes.txt", age_hours=30)

    call_command("reconcile_files", stdout=StringIO())

    assert not old.exists()
    assert young.exists()  # may be a request still being read
    assert unrelated.exists()  # only Django's spooled bodies are ours
