"""The 办事指南 body of each published version, rendered once per language and kept in the database.

Rendering a guide costs about ten queries and a few milliseconds of template work; a published
version never changes, so its body is rendered when it is published (`guide_snapshots_write`),
filled in for versions published before (`guide_snapshots_fill`, the `guide_snapshots` command), and
otherwise on the first visit that finds none. A page then costs one query and the site's frame.

The body shows a few things that are not part of the version: the department's name, the template
and its translations. Their fingerprint is stored with the body and compared on every visit, so a
renamed department or a deploy with a changed template renders the body again instead of showing a
stale one. Whether the matter may be shown at all (in use, its current version) is decided by the
lookup of every visit, never by the stored body.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template import Engine
from django.template.loader import render_to_string
from django.utils import translation

from matters import selectors
from matters.choices import VersionStatus
from matters.models import GuideSnapshot, MatterVersion
from matters.presentation import guide_context

BODY_TEMPLATE = "matters/_guide_body.html"
# Bump when code that shapes the body changes without its template changing (presentation.py,
# the catalogue template tags, the URLs it links to): every stored body is then rendered again.
SNAPSHOT_FORMAT = "1"
FILL_BATCH = 500


@dataclass(frozen=True)
class GuidePage:
    name: str
    body: str


@cache
def _format_stamp(language: str) -> str:
    """Digest of what a deploy can change in a body: its template and the language's catalogue."""
    digest = hashlib.blake2b(SNAPSHOT_FORMAT.encode(), digest_size=16)
    digest.update(Engine.get_default().get_template(BODY_TEMPLATE).source.encode())
    digest.update(language.encode())
    for locale_dir in settings.LOCALE_PATHS:
        catalogue = Path(locale_dir) / translation.to_locale(language) / "LC_MESSAGES" / "django.mo"
        if catalogue.exists():
            digest.update(catalogue.read_bytes())
    return digest.hexdigest()


def guide_fingerprint(*, language: str, department_id: int, department_name: str) -> str:
    """What a stored body was rendered from, besides its immutable version."""
    digest = hashlib.blake2b(_format_stamp(language).encode(), digest_size=16)
    digest.update(f"{department_id}\n{department_name}".encode())
    return digest.hexdigest()


def _render(version: MatterVersion, language: str) -> GuideSnapshot:
    department = version.matter.department
    with translation.override(language):
        body = render_to_string(BODY_TEMPLATE, guide_context(version))
    fingerprint = guide_fingerprint(
        language=language, department_id=department.pk, department_name=department.name
    )
    return GuideSnapshot(version=version, language=language, fingerprint=fingerprint, body=body)


def _store(snapshots: list[GuideSnapshot]) -> None:
    # Two visitors may render the same missing body at once: the later write wins, both are equal.
    GuideSnapshot.objects.bulk_create(
        snapshots,
        update_conflicts=True,
        unique_fields=["version", "language"],
        update_fields=["fingerprint", "body"],
    )


def _languages(language: str | None) -> list[str]:
    return [language] if language else [code for code, _name in settings.LANGUAGES]


def guide_snapshots_write(*, version_ids: Iterable[int], language: str | None = None) -> int:
    """Render and store the guide bodies of published versions (in every language by default);
    return how many bodies were written. Drafts get none: their guide may still change."""
    versions = [
        v
        for v in selectors.matter_guides_for_snapshot(version_ids=list(version_ids))
        if v.status == VersionStatus.PUBLISHED
    ]
    snapshots = [_render(v, code) for v in versions for code in _languages(language)]
    _store(snapshots)
    return len(snapshots)


def guide_snapshots_fill(*, language: str | None = None, batch: int = FILL_BATCH) -> int:
    """Render the bodies that are missing or stale for the guides citizens can see now (after a
    deploy, an import, or for versions published before snapshots existed); return how many."""
    written = 0
    ids = list(MatterVersion.objects.current().order_by("pk").values_list("pk", flat=True))
    for code in _languages(language):
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            rows = MatterVersion.objects.filter(pk__in=chunk).values_list(
                "pk", "matter__department_id", "matter__department__name"
            )
            expected = {
                pk: guide_fingerprint(language=code, department_id=d_id, department_name=d_name)
                for pk, d_id, d_name in rows
            }
            stored = dict(
                GuideSnapshot.objects.filter(version_id__in=chunk, language=code).values_list(
                    "version_id", "fingerprint"
                )
            )
            stale = [pk for pk, fingerprint in expected.items() if stored.get(pk) != fingerprint]
            if stale:
                written += guide_snapshots_write(version_ids=stale, language=code)
    return written


def guide_page_for_public(*, implementation_code: str, language: str) -> GuidePage:
    """The title and body of a visible matter's guide in `language`: the stored body when it is
    current (one query), else rendered now and stored for the next visitor.

    :raises Http404: if there is no such matter, or it is retired or not yet published.
    """
    head = selectors.matter_guide_head(implementation_code=implementation_code, language=language)
    expected = guide_fingerprint(
        language=language, department_id=head.department_id, department_name=head.department_name
    )
    if head.snapshot_body is not None and head.snapshot_fingerprint == expected:
        return GuidePage(name=head.name, body=head.snapshot_body)
    versions = selectors.matter_guides_for_snapshot(version_ids=[head.version_id])
    snapshot = _render(versions[0], language)
    _store([snapshot])
    return GuidePage(name=head.name, body=snapshot.body)
