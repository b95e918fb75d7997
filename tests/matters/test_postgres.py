"""On PostgreSQL the database itself refuses to change a published guide (migration 0002)."""

from typing import Any

from django.db import IntegrityError, transaction

import pytest

from matters.models import Material, MatterVersion
from matters.services import matter_version_draft_create

pytestmark = pytest.mark.postgres


def test_the_database_refuses_to_change_a_published_version(catalogue: dict[str, Any]) -> None:
    published = MatterVersion.objects.get(name="食品经营许可")

    with pytest.raises(IntegrityError, match="is immutable"), transaction.atomic():
        MatterVersion.objects.filter(pk=published.pk).update(name="改名")


def test_the_database_refuses_to_delete_a_material_of_a_published_version(
    catalogue: dict[str, Any],
) -> None:
    material = Material.objects.filter(version__name="食品经营许可").order_by("pk").first()
    assert material is not None

    with pytest.raises(IntegrityError, match="are immutable"), transaction.atomic():
        Material.objects.filter(pk=material.pk).delete()


def test_the_database_lets_a_draft_change(catalogue: dict[str, Any]) -> None:
    published = MatterVersion.objects.get(name="食品经营许可")
    draft = matter_version_draft_create(matter_id=published.matter_id, by=None)

    MatterVersion.objects.filter(pk=draft.pk).update(summary="新的简介。")
    Material.objects.filter(version=draft, key="M03").delete()

    draft.refresh_from_db()
    assert draft.summary == "新的简介。"
    assert list(draft.materials.values_list("key", flat=True).order_by("key")) == ["M01", "M02"]
