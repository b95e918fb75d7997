"""实名注册: a citizen creates their own account on the sign-up page."""

import re

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

import pytest
from stdnum.cn import ric

from accounts.choices import UserKind
from accounts.models import User
from tests.html import visible_text


def resident_id(first17: str) -> str:
    """A resident ID number with the check character python-stdnum computes for `first17`."""
    return first17 + ric.calc_check_digit(first17 + "0")


NEW_ID = resident_id("11010119900307123")  # 110101199003071233: valid, not yet registered
ZHANGSAN_ID = "11010519491231002X"  # the `citizen` fixture
PASSWORD = "lantern-river-42"
URL = reverse("sign-up")


def form_data(**changes: str) -> dict[str, str]:
    data = {
        "real_name": "王小明",
        "id_number": NEW_ID,
        "mobile": "13912345678",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "agreement": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != "<absent>"}


def test_the_sign_up_page_shows_labels_hints_and_autocomplete_hints(db: None) -> None:
    response = Client().get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'autocomplete="name"' in html
    assert 'type="tel"' in html
    assert 'autocomplete="tel"' in html
    assert html.count('autocomplete="new-password"') == 2
    assert 'aria-describedby="id_id_number_helptext"' in html
    text = visible_text(response)
    assert "18位，前17位是数字，最后一位是数字或字母X。" in text
    assert "个人信息保护告知" in text


def test_a_citizen_signs_up_and_is_signed_in_with_the_normalised_id_number(db: None) -> None:
    client = Client()

    response = client.post(URL, form_data(id_number=NEW_ID[:-1] + " " + NEW_ID[-1].lower()))

    assert (response.status_code, response["Location"]) == (302, reverse("home"))
    user = User.objects.get()
    assert (user.kind, user.real_name, user.id_number, user.mobile) == (
        UserKind.CITIZEN,
        "王小明",
        NEW_ID,
        "13912345678",
    )
    assert user.check_password(PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)


def test_a_check_character_x_typed_in_lower_case_is_stored_upper_case(db: None) -> None:
    Client().post(URL, form_data(id_number=ZHANGSAN_ID.lower()))

    assert User.objects.get().id_number == ZHANGSAN_ID


def test_the_username_of_a_new_citizen_is_random_not_their_id_number_or_mobile(
    db: None,
) -> None:
    Client().post(URL, form_data())

    username = User.objects.get().username
    assert re.fullmatch(r"c[a-z2-7]{10}", username)
    assert NEW_ID not in username
    assert "13912345678" not in username


def test_full_width_digits_and_an_interpunct_variant_are_accepted(db: None) -> None:
    Client().post(URL, form_data(real_name="买买提•艾力", mobile="１３９ １２３４ ５６７８"))

    user = User.objects.get()
    assert (user.real_name, user.mobile) == ("买买提·艾力", "13912345678")


def test_after_signing_up_the_citizen_goes_back_to_the_page_they_came_from(db: None) -> None:
    response = Client().post(f"{URL}?next=/matters/", form_data())

    assert response["Location"] == "/matters/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_a_next_address_on_another_site_is_ignored(db: None, next_url: str) -> None:
    response = Client().post(URL, form_data(next=next_url))

    assert response["Location"] == reverse("home")


@pytest.mark.parametrize(
    ("_case", "changes", "field", "message"),
    [
        ("name missing", {"real_name": ""}, "real_name", "请输入姓名。"),
        ("name one character", {"real_name": "王"}, "real_name", "姓名应为2至30个字。"),
        ("name 31 characters", {"real_name": "王" * 31}, "real_name", "姓名应为2至30个字。"),
        (
            "name in Latin letters",
            {"real_name": "Wang Xiaoming"},
            "real_name",
            "姓名只能包含汉字和间隔号“·”，请与居民身份证上的姓名保持一致。",
        ),
        (
            "name ending with a dot",
            {"real_name": "买买提·"},
            "real_name",
            "姓名只能包含汉字和间隔号“·”，请与居民身份证上的姓名保持一致。",
        ),
        ("ID missing", {"id_number": ""}, "id_number", "请输入公民身份号码。"),
        (
            "ID 17 characters",
            {"id_number": NEW_ID[:-1]},
            "id_number",
            "公民身份号码应为18位，请核对后重新输入。",
        ),
        (
            "ID legacy 15 digits",
            {"id_number": "110105491231002"},
            "id_number",
            "不支持15位旧号码，请输入18位公民身份号码。",
        ),
        (
            "ID letter inside",
            {"id_number": "1101011990030A1233"},
            "id_number",
            "公民身份号码的前17位应为数字，最后一位是数字或字母X。",
        ),
        (
            "ID wrong check character",
            {"id_number": "110105194912310021"},
            "id_number",
            "公民身份号码校验位不正确，请核对后重新输入。",
        ),
        (
            "ID 30 February",
            {"id_number": resident_id("11010119900230123")},
            "id_number",
            "公民身份号码中的出生日期不正确，请核对后重新输入。",
        ),
        (
            "ID born in the future",
            {"id_number": resident_id("11010121990307123")},
            "id_number",
            "公民身份号码中的出生日期不正确，请核对后重新输入。",
        ),
        (
            "ID unknown region",
            {"id_number": resident_id("00000019900307123")},
            "id_number",
            "公民身份号码前6位的地址码不正确，请核对后重新输入。",
        ),
        ("mobile missing", {"mobile": ""}, "mobile", "请输入手机号码。"),
        (
            "mobile 10 digits",
            {"mobile": "1391234567"},
            "mobile",
            "手机号码应为以1开头的11位数字，请核对后重新输入。",
        ),
        (
            "mobile starting 12",
            {"mobile": "12912345678"},
            "mobile",
            "手机号码应为以1开头的11位数字，请核对后重新输入。",
        ),
        ("password missing", {"password": ""}, "password", "请设置密码。"),
        (
            "password short",
            {"password": "short-pw", "password_confirm": "short-pw"},
            "password",
            "密码太短，至少需要10个字符。",
        ),
        (
            "password all digits",
            {"password": "9090909090", "password_confirm": "9090909090"},
            "password",
            "密码只包含数字。",
        ),
        (
            "password is the ID number",
            {"id_number": ZHANGSAN_ID, "password": ZHANGSAN_ID, "password_confirm": ZHANGSAN_ID},
            "password",
            "密码与公民身份号码太相似，请换一个密码。",
        ),
        (
            "confirmation differs",
            {"password_confirm": PASSWORD + "x"},
            "password_confirm",
            "两次输入的密码不一致，请重新输入。",
        ),
        (
            "privacy notice not accepted",
            {"agreement": "<absent>"},
            "agreement",
            "请阅读并同意《个人信息保护告知》后再注册。",
        ),
    ],
)
def test_an_invalid_field_is_explained_at_the_field_and_creates_nothing(
    db: None, _case: str, changes: dict[str, str], field: str, message: str
) -> None:
    response = Client().post(URL, form_data(**changes))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert f'<a href="#id_{field}">{message}</a>' in html  # the summary links to the field
    assert f'id="id_{field}_error"' in html
    assert not User.objects.exists()


def test_the_input_of_a_refused_field_is_described_by_its_hint_and_its_error(db: None) -> None:
    response = Client().post(URL, form_data(mobile="123"))

    html = response.content.decode()
    assert 'aria-describedby="id_mobile_helptext id_mobile_error"' in html
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_mobile"', html)


@pytest.mark.parametrize(
    ("_case", "changes", "field", "message"),
    [
        ("ID number", {"id_number": ZHANGSAN_ID.lower()}, "id_number", "该公民身份号码已注册。"),
        ("mobile", {"mobile": "138 0013 8000"}, "mobile", "该手机号码已注册。"),
    ],
)
def test_an_id_number_or_a_mobile_already_registered_is_refused(
    citizen: User, _case: str, changes: dict[str, str], field: str, message: str
) -> None:
    response = Client().post(URL, form_data(**changes))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert f'<a href="#id_{field}">{message}</a>' in response.content.decode()
    assert list(User.objects.values_list("username", flat=True)) == ["zhangsan"]


def test_a_signed_in_citizen_is_sent_home_instead_of_signing_up_again(citizen: User) -> None:
    client = Client()
    client.force_login(citizen)

    response = client.post(URL, form_data())

    assert response["Location"] == reverse("home")
    assert User.objects.count() == 1
