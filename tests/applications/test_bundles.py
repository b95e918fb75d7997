"""一件事一次办: one form and one set of materials fan out into a case per department; the cases
run in parallel (or after their prerequisites), supplements reach the applicant as one notice,
and the bundle completes when every case is done."""

import datetime as dt
from typing import Any

import pytest

from accounts.choices import Role
from applications import bundles, services
from applications.choices import BundleStatus
from applications.models import Application, BundleApplication, SupplementNotice
from core.errors import DomainError
from matters.bundles import bundle_guide
from matters.choices import Audience, BundleOrder
from matters.models import Bundle, BundleItem, Department, Matter
from notifications.models import Notification
from tests.applications.conftest import (
    FORM_FIELDS,
    GOOD_ANSWERS,
    NOW,
    _staff,
    matter_import,
    pdf,
    shared,
)
from tests.matters import documents

pytestmark = pytest.mark.django_db

applicant = shared("applicant")
clerk = shared("clerk")
reviewer = shared("reviewer")
approver = shared("approver")
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def health_staff(world: dict[str, Any]) -> dict[str, Any]:
    health: Department = world["health"]
    return {
        "clerk": world["outsider"],
        "reviewer": _staff("h-reviewer", Role.REVIEWER, health),
        "approver": _staff("h-approver", Role.APPROVER, health),
    }


@pytest.fixture
def restaurant(world: dict[str, Any]) -> Bundle:
    """开办餐饮店: the food licence (market) and a health permit (health), in parallel."""
    return make_bundle(world, BundleOrder.PARALLEL)


def make_bundle(world: dict[str, Any], order: str) -> Bundle:
    food: Matter = world["workflow_catalogue"]["food"]
    permit = matter_import(
        "11006000", "公共场所卫生许可", department=documents.HEALTH, form_fields=FORM_FIELDS[:3]
    )
    bundle = Bundle.objects.create(
        code="restaurant",
        name="开办餐饮店",
        audience=Audience.PERSON,
        lead_department=world["market"],
        order_mode=order,
        is_published=True,
    )
    first = BundleItem.objects.create(bundle=bundle, matter=food, order=1)
    second = BundleItem.objects.create(bundle=bundle, matter=permit, order=2)
    if order == BundleOrder.DEPENDENCIES:
        second.depends_on.add(first)
    return bundle


def filled(applicant: Any, bundle: Bundle) -> BundleApplication:
    """A complete bundle draft through the bundle's own services: each material uploaded once."""
    bundle_application = bundles.bundle_application_start(
        applicant=applicant, bundle_id=bundle.pk, now=NOW
    )
    matter_ids = [item.matter_id for item in bundle.items.all()]
    bundles.bundle_application_save(
        user=applicant,
        bundle_application_id=bundle_application.pk,
        now=NOW,
        situations={matter_id: {"Q1": "Q1A"} for matter_id in matter_ids},
        answers={**GOOD_ANSWERS, "agent_name": ""},
        delivery_method="ELECTRONIC",
    )
    guide = bundle_guide(bundle)
    for material in guide.materials:
        if material.name == "授权委托书":
            continue  # only needed when an agent applies (situation Q1B)
        bundles.bundle_material_upload(
            user=applicant,
            bundle_application_id=bundle_application.pk,
            slot=material.slot,
            file=pdf(),
            now=NOW,
        )
    return bundle_application


def cases_of(bundle_application: BundleApplication) -> dict[str, Application]:
    return {
        case.department.name: case for case in bundle_application.cases.select_related("department")
    }


def test_shared_fields_are_asked_once_and_shared_materials_uploaded_once(
    restaurant: Bundle,
) -> None:
    guide = bundle_guide(restaurant)

    keys = [f.form_field.key for f in guide.fields]
    names = [m.name for m in guide.materials]
    assert len(keys) == len(set(keys))
    assert len(names) == len(set(names))
    shared_material = next(m for m in guide.materials if m.name == "申请表")
    assert len(shared_material.keys) == 2  # both matters ask for 申请表: one upload
    assert next(f for f in guide.fields if f.form_field.key == "name").matter_ids == [
        item.matter_id for item in restaurant.items.all()
    ]


def test_one_upload_is_filed_with_every_case_that_asks_for_it(
    restaurant: Bundle, applicant: Any
) -> None:
    bundle_application = filled(applicant, restaurant)

    files = {
        case.matter_id: case.materials.get(material_name="申请表")
        for case in bundle_application.cases.all()
    }
    assert len(files) == 2
    first, second = files.values()
    assert first.sha256 == second.sha256
    assert first.file.name != second.file.name  # each case keeps its own copy


def test_submitting_fans_out_one_case_per_department_at_once(
    restaurant: Bundle, applicant: Any, world: dict[str, Any]
) -> None:
    bundle_application = filled(applicant, restaurant)

    bundles.bundle_application_submit(
        user=applicant, bundle_application_id=bundle_application.pk, now=NOW
    )

    bundle_application.refresh_from_db()
    cases = cases_of(bundle_application)
    assert bundle_application.status == BundleStatus.IN_PROGRESS
    assert bundle_application.reference == f"YJS20250611{bundle_application.pk:06d}"
    assert {name: case.status for name, case in cases.items()} == {
        world["market"].name: "RECEIVED",
        world["health"].name: "RECEIVED",
    }
    assert cases[world["market"].name].answers["shop_name"] == "好味小馆"
    assert {case.answers["name"] for case in cases.values()} == {applicant.real_name}


def test_an_incomplete_bundle_files_nothing_and_names_every_problem(
    restaurant: Bundle, applicant: Any
) -> None:
    bundle_application = bundles.bundle_application_start(
        applicant=applicant, bundle_id=restaurant.pk, now=NOW
    )

    with pytest.raises(services.SubmissionIncompleteError) as refused:
        bundles.bundle_application_submit(
            user=applicant, bundle_application_id=bundle_application.pk, now=NOW
        )

    errors = refused.value.errors
    assert "answers.shop_name" in errors
    assert any(key.startswith("materials.B") for key in errors)
    assert set(bundle_application.cases.values_list("status", flat=True)) == {"DRAFT"}
    bundle_application.refresh_from_db()
    assert bundle_application.status == BundleStatus.DRAFT


def test_fan_in_with_one_department_refusing(
    restaurant: Bundle, applicant: Any, world: dict[str, Any], health_staff: dict[str, Any]
) -> None:
    bundle_application = filled(applicant, restaurant)
    bundles.bundle_application_submit(
        user=applicant, bundle_application_id=bundle_application.pk, now=NOW
    )
    cases = cases_of(bundle_application)
    food, permit = cases[world["market"].name], cases[world["health"].name]
    # The market department approves and delivers; the health department refuses.
    services.application_accept(user=world["clerk"], application_id=food.pk, now=NOW + HOUR)
    services.application_step_pass(
        user=world["reviewer"], application_id=food.pk, now=NOW + 2 * HOUR, opinion="符合。"
    )
    services.application_approve(user=world["approver"], application_id=food.pk, now=NOW + 3 * HOUR)
    services.application_accept(
        user=health_staff["clerk"], application_id=permit.pk, now=NOW + HOUR
    )
    services.application_step_pass(
        user=health_staff["reviewer"],
        application_id=permit.pk,
        now=NOW + 2 * HOUR,
        opinion="不符合。",
    )
    services.application_reject(
        user=health_staff["approver"],
        application_id=permit.pk,
        now=NOW + 3 * HOUR,
        reason="卫生设施不符合要求。",
    )
    services.application_deliver(user=world["clerk"], application_id=food.pk, now=NOW + 4 * HOUR)
    bundle_application.refresh_from_db()
    assert bundle_application.status == BundleStatus.IN_PROGRESS  # the refusal is not delivered yet

    services.application_deliver(
        user=health_staff["clerk"], application_id=permit.pk, now=NOW + 5 * HOUR
    )

    bundle_application.refresh_from_db()
    assert bundle_application.status == BundleStatus.COMPLETED
    assert bundle_application.completed_at == NOW + 5 * HOUR
    done = Notification.objects.get(event="BUNDLE_COMPLETED", channel="INBOX")
    assert "1个准予" in done.body
    assert "2个事项" in done.body


def test_supplements_from_two_departments_reach_the_applicant_as_one_notice(
    restaurant: Bundle, applicant: Any, world: dict[str, Any], health_staff: dict[str, Any]
) -> None:
    bundle_application = filled(applicant, restaurant)
    bundles.bundle_application_submit(
        user=applicant, bundle_application_id=bundle_application.pk, now=NOW
    )
    cases = cases_of(bundle_application)
    food, permit = cases[world["market"].name], cases[world["health"].name]

    services.application_supplement_request(
        user=world["clerk"],
        application_id=food.pk,
        now=NOW + HOUR,
        items=[{"kind": "material", "key": "M01", "reason": "申请表未签字"}],
    )
    assert not Notification.objects.filter(
        event__in=["SUPPLEMENT_REQUESTED", "BUNDLE_SUPPLEMENT_REQUESTED"]
    ).exists()  # the health department has not examined its case yet
    services.application_supplement_request(
        user=health_staff["clerk"],
        application_id=permit.pk,
        now=NOW + 2 * HOUR,
        items=[{"kind": "material", "key": "M02", "reason": "身份证复印件不清晰"}],
    )

    told = Notification.objects.filter(
        event__in=["SUPPLEMENT_REQUESTED", "BUNDLE_SUPPLEMENT_REQUESTED"], channel="INBOX"
    )
    assert told.count() == 1
    body = told.get().body
    for expected in (
        "申请表未签字",
        "身份证复印件不清晰",
        world["market"].name,
        world["health"].name,
    ):
        assert expected in body


def test_a_held_notice_is_told_when_the_other_department_accepts(
    restaurant: Bundle, applicant: Any, world: dict[str, Any], health_staff: dict[str, Any]
) -> None:
    bundle_application = filled(applicant, restaurant)
    bundles.bundle_application_submit(
        user=applicant, bundle_application_id=bundle_application.pk, now=NOW
    )
    cases = cases_of(bundle_application)
    services.application_supplement_request(
        user=world["clerk"],
        application_id=cases[world["market"].name].pk,
        now=NOW + HOUR,
        items=[{"kind": "material", "key": "M01", "reason": "申请表未签字"}],
        respond_within=5,
    )
    # Told two working days later: the 5-day window counts from then (Friday 06-13 → 06-20).
    told_at = dt.datetime(2025, 6, 13, 9, 0, tzinfo=NOW.tzinfo)
    services.application_accept(
        user=health_staff["clerk"], application_id=cases[world["health"].name].pk, now=told_at
    )

    notice = SupplementNotice.objects.get(application=cases[world["market"].name])
    assert (
        Notification.objects.filter(event="BUNDLE_SUPPLEMENT_REQUESTED", channel="INBOX").count()
        == 1
    )
    assert notice.respond_by.date() == dt.date(2025, 6, 20)


def test_a_case_with_a_prerequisite_starts_when_it_is_approved(
    world: dict[str, Any], applicant: Any, health_staff: dict[str, Any]
) -> None:
    bundle = make_bundle(world, BundleOrder.DEPENDENCIES)
    bundle_application = filled(applicant, bundle)
    bundles.bundle_application_submit(
        user=applicant, bundle_application_id=bundle_application.pk, now=NOW
    )
    cases = cases_of(bundle_application)
    food, permit = cases[world["market"].name], cases[world["health"].name]
    assert (food.status, permit.status) == ("RECEIVED", "DRAFT")

    services.application_accept(user=world["clerk"], application_id=food.pk, now=NOW + HOUR)
    services.application_step_pass(
        user=world["reviewer"], application_id=food.pk, now=NOW + 2 * HOUR, opinion="符合。"
    )
    services.application_approve(user=world["approver"], application_id=food.pk, now=NOW + 3 * HOUR)

    permit.refresh_from_db()
    assert permit.status == "RECEIVED"
    assert permit.received_at == NOW + 3 * HOUR


def test_a_refused_prerequisite_means_the_dependent_case_never_starts(
    world: dict[str, Any], applicant: Any
) -> None:
    bundle = make_bundle(world, BundleOrder.DEPENDENCIES)
    bundle_application = filled(applicant, bundle)
    bundles.bundle_application_submit(
        user=applicant, bundle_application_id=bundle_application.pk, now=NOW
    )
    food = cases_of(bundle_application)[world["market"].name]

    services.application_not_accept(
        user=world["clerk"],
        application_id=food.pk,
        now=NOW + HOUR,
        kind="OTHER",
        reason="重复申请。",
    )

    bundle_application.refresh_from_db()
    permit = cases_of(bundle_application)[world["health"].name]
    assert permit.status == "DRAFT"
    assert bundle_application.status == BundleStatus.COMPLETED


def test_another_person_cannot_reach_the_bundle(
    restaurant: Bundle, applicant: Any, world: dict[str, Any]
) -> None:
    bundle_application = bundles.bundle_application_start(
        applicant=applicant, bundle_id=restaurant.pk, now=NOW
    )

    with pytest.raises(BundleApplication.DoesNotExist):
        bundles.bundle_application_submit(
            user=world["other_citizen"], bundle_application_id=bundle_application.pk, now=NOW
        )


def test_an_unpublished_bundle_cannot_be_started(restaurant: Bundle, applicant: Any) -> None:
    restaurant.is_published = False
    restaurant.save()

    with pytest.raises(DomainError):
        bundles.bundle_application_start(applicant=applicant, bundle_id=restaurant.pk, now=NOW)


def test_submitting_twice_files_each_case_once(restaurant: Bundle, applicant: Any) -> None:
    bundle_application = filled(applicant, restaurant)

    for _ in range(2):
        bundles.bundle_application_submit(
            user=applicant, bundle_application_id=bundle_application.pk, now=NOW
        )

    assert Application.objects.filter(bundle_application=bundle_application).count() == 2
    assert Notification.objects.filter(event="APPLICATION_RECEIVED", channel="INBOX").count() == 2
