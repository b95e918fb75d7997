"""ID numbers and mobiles in the user admin: a duplicate or an invalid value typed into the change
form is a form error (uniqueness lives on the blind index, not on a form field), and lists show
them masked; only a superuser sees and edits them in full."""

from typing import Any

from django.contrib.auth.models import Permission
from django.forms import BaseForm, MultiWidget
from django.test import Client

import pytest

from accounts.choices import Role, UserKind
from accounts.models import User
from accounts.services import citizen_create, roles_sync, staff_create
from core.crypto import blind_index
from tests.auth import sign_in

pytestmark = pytest.mark.django_db

OTHER_ID_NUMBER = "110105194912310011"
OTHER_MOBILE = "13900139000"


@pytest.fixture
def superuser_client(db: None) -> Client:
    client = Client()
    root = staff_create(
        username="root", password="pw-root-12345", real_name="管理员", roles=[], is_superuser=True
    )
    sign_in(client, root)
    return client


@pytest.fixture
def other(db: None) -> User:
    return citizen_create(
        username="lisi",
        password="pw-citizen-2",
        real_name="李四",
        id_number=OTHER_ID_NUMBER,
        mobile=OTHER_MOBILE,
    )


def change_url(user: User) -> str:
    return f"/admin/accounts/user/{user.pk}/change/"


def form_data(form: BaseForm) -> dict[str, Any]:
    """What the browser would post back for the change form as it was shown."""
    data: dict[str, Any] = {}
    for bound in form:
        if bound.field.disabled:
            continue
        value = bound.value()
        if isinstance(bound.field.widget, MultiWidget):
            for index, part in enumerate(bound.field.widget.decompress(value) or []):
                data[f"{bound.html_name}_{index}"] = "" if part is None else part
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif value is not None:
            data[bound.html_name] = value
    return data


def post_change(client: Client, user: User, **changes: str) -> Any:
    shown = client.get(change_url(user))
    assert shown.status_code == 200
    data = form_data(shown.context["adminform"].form) | changes
    return client.post(change_url(user), data)


def test_a_duplicate_id_number_is_a_form_error_not_a_server_error(
    superuser_client: Client, citizen: User, other: User
) -> None:
    response = post_change(superuser_client, other, id_number=citizen.id_number or "")

    assert response.status_code == 200  # the form again, not a 500 from the unique index
    errors = response.context["adminform"].form.errors
    assert errors["id_number"] == ["该公民身份号码已被其他账户使用。"]
    other.refresh_from_db()
    assert other.id_number == OTHER_ID_NUMBER


def test_a_duplicate_citizen_mobile_is_a_form_error(
    superuser_client: Client, citizen: User, other: User
) -> None:
    response = post_change(superuser_client, other, mobile=citizen.mobile)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["mobile"] == ["该手机号码已被其他账号使用。"]
    other.refresh_from_db()
    assert other.mobile == OTHER_MOBILE


def test_a_staff_account_may_share_a_mobile(superuser_client: Client, citizen: User) -> None:
    clerk = staff_create(username="clerk", password="pw-clerk-12345", real_name="窗口", roles=[])

    response = post_change(superuser_client, clerk, mobile=citizen.mobile)

    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.mobile == citizen.mobile


def test_an_id_number_typed_loosely_is_saved_normalised_and_found_by_its_index(
    superuser_client: Client, other: User
) -> None:
    response = post_change(superuser_client, other, id_number=" 11010519491231002x")

    assert response.status_code == 302
    found = User.objects.get(id_number_index=blind_index("11010519491231002X", kind="id_number"))
    assert found == other
    assert found.id_number == "11010519491231002X"


@pytest.mark.parametrize(
    "number",
    [
        "112485375803055739",  # an area python-stdnum raises KeyError on
        "110105194912310012",  # a wrong check digit
    ],
)
def test_an_invalid_id_number_is_a_form_error(
    superuser_client: Client, other: User, number: str
) -> None:
    response = post_change(superuser_client, other, id_number=number)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["id_number"]
    other.refresh_from_db()
    assert other.id_number == OTHER_ID_NUMBER


def test_the_user_list_shows_id_numbers_and_mobiles_masked(
    superuser_client: Client, citizen: User
) -> None:
    page = superuser_client.get("/admin/accounts/user/").content.decode()

    assert "110105********002X" in page
    assert "138****8000" in page
    assert "11010519491231002X" not in page
    assert "13800138000" not in page


def test_the_change_form_shows_the_values_in_full_to_a_superuser(
    superuser_client: Client, citizen: User
) -> None:
    page = superuser_client.get(change_url(citizen)).content.decode()

    assert 'value="11010519491231002X"' in page
    assert 'value="13800138000"' in page


def test_other_staff_with_the_user_permissions_see_them_masked_and_cannot_edit_them(
    citizen: User,
) -> None:
    roles_sync()
    manager = staff_create(
        username="manager", password="pw-manager-12345", real_name="管理", roles=[Role.AUDITOR]
    )
    manager.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts", codename__in=["view_user", "change_user"]
        )
    )
    client = Client()
    sign_in(client, manager)

    page = client.get(change_url(citizen)).content.decode()
    response = post_change(client, citizen, id_number=OTHER_ID_NUMBER, mobile=OTHER_MOBILE)

    assert "110105********002X" in page
    assert "138****8000" in page
    assert "11010519491231002X" not in page
    assert "13800138000" not in page
    assert response.status_code == 302  # the rest of the form saves; the two fields are not in it
    citizen.refresh_from_db()
    assert (citizen.id_number, citizen.mobile) == ("11010519491231002X", "13800138000")
    assert citizen.kind == UserKind.CITIZEN
