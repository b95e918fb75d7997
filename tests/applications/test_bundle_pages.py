"""一件事 pages: the public list and guide, then an applicant's way through start, the one form,
one upload per shared material, submission and the bundle's page."""

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import pytest

from applications.bundles import bundle_application_submit
from applications.models import BundleApplication
from matters.choices import BundleOrder
from matters.models import Bundle
from tests.applications.conftest import GOOD_ANSWERS, NOW, pdf, shared
from tests.applications.test_bundles import filled, make_bundle
from tests.auth import sign_in
from tests.html import visible_text

pytestmark = pytest.mark.django_db

applicant = shared("applicant")


@pytest.fixture
def restaurant(world: dict[str, Any]) -> Bundle:
    return make_bundle(world, BundleOrder.PARALLEL)


@pytest.fixture
def person(client: Client, world: dict[str, Any]) -> Client:
    sign_in(client, world["applicant"])
    return client


def test_the_public_list_and_guide_show_the_matters_and_the_one_set_of_materials(
    client: Client, restaurant: Bundle, world: dict[str, Any]
) -> None:
    listing = visible_text(client.get("/bundles/"))
    guide = visible_text(client.get(f"/bundles/{restaurant.code}/"))

    assert "开办餐饮店" in listing
    assert "食品经营许可" in guide
    assert "公共场所卫生许可" in guide
    assert world["health"].name in guide
    assert "2 个事项共用" in guide  # 申请表 is asked by both


def test_an_unpublished_bundle_is_not_found(client: Client, restaurant: Bundle) -> None:
    restaurant.is_published = False
    restaurant.save()

    assert client.get(f"/bundles/{restaurant.code}/").status_code == 404


def start(person: Client, bundle: Bundle) -> BundleApplication:
    response = person.post(f"/bundles/{bundle.code}/apply/", {"client_key": "k1"})
    assert response.status_code == 302
    return BundleApplication.objects.get()


def test_submitting_an_empty_form_shows_every_problem_and_files_nothing(
    person: Client, restaurant: Bundle
) -> None:
    bundle_application = start(person, restaurant)

    response = person.post(f"/my/bundles/{bundle_application.pk}/edit/", {"submit": "1"})

    assert response.status_code == 400
    page = visible_text(response)
    assert "请修改以下内容" in page
    assert "店铺名称" in page
    assert set(bundle_application.cases.values_list("status", flat=True)) == {"DRAFT"}


def test_one_upload_answers_both_matters_and_the_bundle_is_filed(
    person: Client, restaurant: Bundle
) -> None:
    bundle_application = start(person, restaurant)
    edit = f"/my/bundles/{bundle_application.pk}/edit/"
    matter_ids = list(restaurant.items.values_list("matter_id", flat=True))
    answers = {f"f-{key}": value for key, value in GOOD_ANSWERS.items()}
    situations = {f"s-{matter_id}-Q1": "Q1A" for matter_id in matter_ids}
    person.post(edit, {**answers, **situations, "delivery_method": "ELECTRONIC", "save": "1"})
    page = person.get(edit).content.decode()
    slots = sorted(set(re.findall(r'name="slot" value="(B\d+)"', page)))
    names = dict(re.findall(r'<li id="m-(B\d+)"[^>]*>\s*<h3>([^<]+)</h3>', page))
    for slot in slots:
        if names[slot] == "授权委托书":
            continue
        response = person.post(
            f"/my/bundles/{bundle_application.pk}/materials/", {"slot": slot, "file": pdf()}
        )
        assert response.status_code == 302

    response = person.post(
        edit, {**answers, **situations, "delivery_method": "ELECTRONIC", "submit": "1"}
    )

    assert response.status_code == 302, visible_text(response)[:2000]
    detail = visible_text(person.get(f"/my/bundles/{bundle_application.pk}/"))
    assert "已收件，待受理" in detail
    assert detail.count("已收件，待受理") == 2
    mine = visible_text(person.get("/my/applications/"))
    assert "开办餐饮店" in mine


def test_another_person_cannot_open_the_bundle(
    client: Client, person: Client, restaurant: Bundle, world: dict[str, Any]
) -> None:
    bundle_application = start(person, restaurant)
    other = Client()
    sign_in(other, world["other_citizen"])

    assert other.get(f"/my/bundles/{bundle_application.pk}/").status_code == 404
    assert other.get(f"/my/bundles/{bundle_application.pk}/edit/").status_code == 404
    response = other.post(
        f"/my/bundles/{bundle_application.pk}/materials/", {"slot": "B1", "file": pdf()}
    )
    assert response.status_code == 404


def test_a_refused_upload_says_why_and_stores_nothing(person: Client, restaurant: Bundle) -> None:
    bundle_application = start(person, restaurant)

    response = person.post(
        f"/my/bundles/{bundle_application.pk}/materials/",
        {"slot": "B1", "file": SimpleUploadedFile("a.pdf", b"not a pdf at all")},
    )

    assert response.status_code == 400
    assert not any(case.materials.exists() for case in bundle_application.cases.all())


def test_the_clerk_sees_that_the_case_belongs_to_a_bundle(
    restaurant: Bundle, world: dict[str, Any]
) -> None:
    bundle_application = filled(world["applicant"], restaurant)
    bundle_application_submit(
        user=world["applicant"], bundle_application_id=bundle_application.pk, now=NOW
    )
    food = bundle_application.cases.get(department=world["market"])
    clerk = Client()
    sign_in(clerk, world["clerk"])

    page = visible_text(clerk.get(reverse("workbench-case", args=[food.pk])))

    assert "本件属于一件事“开办餐饮店”" in page
    assert "与另外 1 个事项同时办理" in page
