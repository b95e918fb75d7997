"""ID numbers and mobiles of accounts are stored encrypted and found through their blind index
(RELIABILITY SEC-DP-02): what a database dump shows, and what still works for the citizen."""

import re
from collections.abc import Iterator

from django.contrib.auth import SESSION_KEY
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

import pytest

from accounts.models import User
from core import sms
from core.crypto import blind_index, encrypted_fields
from tests.auth import sign_in

ID_NUMBER = "11010519491231002X"  # the `citizen` fixture
MOBILE = "13800138000"
RESIDENT_ID_RE = re.compile(r"\d{17}[\dXx]")
MOBILE_RE = re.compile(r"1[3-9]\d{9}")


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> Iterator[None]:
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def raw_rows(sql: str) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


def test_the_database_holds_tokens_not_id_numbers_or_mobiles(citizen: User) -> None:
    rows = raw_rows("SELECT id_number, mobile, id_number_index, mobile_index FROM accounts_user")

    assert len(rows) == 1
    text = " ".join(str(value) for value in rows[0])
    assert not RESIDENT_ID_RE.search(text.replace("gAAAA", ""))
    assert not MOBILE_RE.search(text)
    assert all(str(value).startswith("gAAAAA") for value in rows[0][:2])  # Fernet tokens
    # In Python the values are the plain strings, so masks and forms keep working.
    citizen.refresh_from_db()
    assert (citizen.id_number, citizen.mobile) == (ID_NUMBER, MOBILE)
    assert (citizen.masked_id_number, citizen.masked_mobile) == (
        "110105********002X",
        "138****8000",
    )


def test_an_sms_code_row_keeps_no_mobile(citizen: User) -> None:
    Client().post(reverse("sign-in-code"), {"mobile": MOBILE, "send_code": "1"})

    rows = raw_rows("SELECT * FROM accounts_onetimecode")
    dump = " ".join(str(value) for row in rows for value in row)
    assert len(rows) == 1
    assert MOBILE not in dump
    assert blind_index(MOBILE, kind="mobile") in dump


def test_the_encrypted_columns_of_accounts_are_the_id_number_and_the_mobile() -> None:
    assert [f.name for f in encrypted_fields(User)] == ["id_number", "mobile"]


@pytest.mark.parametrize("account", [ID_NUMBER.lower(), "138 0013 8000"])
def test_a_citizen_still_signs_in_by_id_number_or_mobile(citizen: User, account: str) -> None:
    client = Client()

    response = client.post(reverse("sign-in"), {"account": account, "password": "pw-citizen-1"})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(citizen.pk)


def test_a_second_sign_up_with_the_same_id_number_or_mobile_is_refused(citizen: User) -> None:
    client = Client()
    data = {
        "real_name": "王小明",
        "id_number": ID_NUMBER.lower(),
        "mobile": "13912345678",
        "password": "lantern-river-42",
        "password_confirm": "lantern-river-42",
        "agreement": "on",
        "send_code": "1",
    }

    by_id = client.post(reverse("sign-up"), data)
    by_mobile = client.post(
        reverse("sign-up"), {**data, "id_number": "110101199003071233", "mobile": MOBILE}
    )

    assert by_id.context["form"].errors["id_number"] == ["该公民身份号码已注册。"]
    assert by_mobile.context["form"].errors["mobile"] == ["该手机号码已注册。"]
    assert User.objects.count() == 1
    assert sms.outbox == []


def test_the_database_refuses_a_second_account_with_the_same_id_number(citizen: User) -> None:
    twin = User(username="twin", id_number=ID_NUMBER.lower().upper(), kind="CITIZEN")
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_changing_the_mobile_with_update_fields_moves_its_index(citizen: User) -> None:
    citizen.mobile = "13912345678"
    citizen.save(update_fields=["mobile"])
    client = Client()

    old = client.post(reverse("sign-in"), {"account": MOBILE, "password": "pw-citizen-1"})
    new = client.post(reverse("sign-in"), {"account": "13912345678", "password": "pw-citizen-1"})

    assert old.status_code == 400
    assert new.status_code == 302
    assert client.session[SESSION_KEY] == str(citizen.pk)


def test_the_admin_finds_an_account_by_its_whole_id_number(
    citizen: User, catalogue_admin: User
) -> None:
    catalogue_admin.is_superuser = True
    catalogue_admin.save(update_fields=["is_superuser"])
    client = Client()
    sign_in(client, catalogue_admin)
    url = reverse("admin:accounts_user_changelist")

    found = client.get(url, {"q": ID_NUMBER.lower()})
    not_found = client.get(url, {"q": "110101199003071233"})

    assert found.status_code == 200
    assert [user.pk for user in found.context["cl"].result_list] == [citizen.pk]
    assert list(not_found.context["cl"].result_list) == []
