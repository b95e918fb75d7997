"""实名注册: a citizen creates their own account on the sign-up page, confirming the mobile with
the code texted to it."""

import re
from collections.abc import Iterator

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

import pytest
from stdnum.cn import ric

from accounts.choices import UserKind
from accounts.models import OneTimeCode, User
from core import sms
from tests.auth import sign_in
from tests.html import visible_text


def resident_id(first17: str) -> str:
    """A resident ID number with the check character python-stdnum computes for `first17`."""
    return first17 + ric.calc_check_digit(first17 + "0")


NEW_ID = resident_id("11010119900307123")  # 110101199003071233: valid, not yet registered
ZHANGSAN_ID = "11010519491231002X"  # the `citizen` fixture
PASSWORD = "lantern-river-42"
URL = reverse("sign-up")


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> Iterator[None]:
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def form_data(**changes: str) -> dict[str, str]:
    data = {
        "real_name": "王小明",
        "id_number": NEW_ID,
        "mobile": "13912345678",
        "sms_code": "000000",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "agreement": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != "<absent>"}


def code_on_phone(mobile: str) -> str:
    """The code in the last text message to `mobile`, as the citizen reads it."""
    texts = [message.text for message in sms.outbox if message.mobile == mobile]
    match = re.search(r"验证码是(\d{6})", texts[-1])
    assert match is not None
    return match.group(1)


def ask_for_code(client: Client, url: str = URL, **changes: str) -> str:
    """Press "获取验证码" with the form's values; return the code as read on the phone."""
    client.post(url, form_data(send_code="1", **changes))
    return code_on_phone(sms.outbox[-1].mobile)


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

    typed_id = NEW_ID[:-1] + " " + NEW_ID[-1].lower()
    code = ask_for_code(client, id_number=typed_id)

    response = client.post(URL, form_data(id_number=typed_id, sms_code=code))

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
    client = Client()
    code = ask_for_code(client, id_number=ZHANGSAN_ID.lower())

    client.post(URL, form_data(id_number=ZHANGSAN_ID.lower(), sms_code=code))

    assert User.objects.get().id_number == ZHANGSAN_ID


def test_the_username_of_a_new_citizen_is_random_not_their_id_number_or_mobile(
    db: None,
) -> None:
    client = Client()
    client.post(URL, form_data(sms_code=ask_for_code(client)))

    username = User.objects.get().username
    assert re.fullmatch(r"c[a-z2-7]{10}", username)
    assert NEW_ID not in username
    assert "13912345678" not in username


def test_full_width_digits_and_an_interpunct_variant_are_accepted(db: None) -> None:
    typed = {"real_name": "买买提•艾力", "mobile": "１３９ １２３４ ５６７８"}
    client = Client()
    code = ask_for_code(client, **typed)

    client.post(URL, form_data(sms_code=code, **typed))

    user = User.objects.get()
    assert (user.real_name, user.mobile) == ("买买提·艾力", "13912345678")


def test_after_signing_up_the_citizen_goes_back_to_the_page_they_came_from(db: None) -> None:
    client = Client()
    code = ask_for_code(client)

    response = client.post(f"{URL}?next=/matters/", form_data(sms_code=code))

    assert response["Location"] == "/matters/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_a_next_address_on_another_site_is_ignored(db: None, next_url: str) -> None:
    client = Client()
    code = ask_for_code(client)

    response = client.post(URL, form_data(sms_code=code, next=next_url))

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
            "密码太短，至少需要12个字符。",
        ),
        (
            "password all digits",
            {"password": "909090909090", "password_confirm": "909090909090"},
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
    sign_in(client, citizen)

    response = client.post(URL, form_data())

    assert response["Location"] == reverse("home")
    assert User.objects.count() == 1


def test_the_sign_up_page_has_a_send_code_button_and_a_one_time_code_field(db: None) -> None:
    response = Client().get(URL)

    html = response.content.decode()
    assert re.search(r'<button type="submit" name="send_code"[^>]*>获取验证码</button>', html)
    assert re.search(r'<input[^>]*autocomplete="one-time-code"[^>]*inputmode="numeric"', html)
    assert '<label for="id_sms_code">短信验证码</label>' in html


def test_asking_for_a_code_texts_it_and_shows_the_form_again_with_what_was_typed(
    db: None,
) -> None:
    response = Client().post(URL, form_data(send_code="1", password="", password_confirm=""))

    assert response.status_code == 200
    assert "验证码已发送到您填写的手机号码，请查收短信。" in visible_text(response)
    assert 'value="王小明"' in response.content.decode()
    assert [message.mobile for message in sms.outbox] == ["13912345678"]
    code = code_on_phone("13912345678")
    assert sms.outbox[0].text == f"【通办】您的验证码是{code}，5分钟内有效。如非本人操作请忽略。"
    assert not User.objects.exists()


def test_asking_for_a_code_checks_the_identity_fields_first_and_sends_nothing_if_wrong(
    db: None,
) -> None:
    response = Client().post(URL, form_data(send_code="1", id_number="110105194912310021"))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "id_number": ["公民身份号码校验位不正确，请核对后重新输入。"]
    }
    assert sms.outbox == []


def test_asking_for_a_code_for_a_registered_mobile_is_refused_without_a_text(
    citizen: User,
) -> None:
    response = Client().post(URL, form_data(send_code="1", mobile="13800138000"))

    assert response.context["form"].errors["mobile"] == ["该手机号码已注册。"]
    assert sms.outbox == []


def test_asking_again_within_a_minute_is_refused_with_the_wait(db: None) -> None:
    client = Client()
    client.post(URL, form_data(send_code="1"))

    response = client.post(URL, form_data(send_code="1"))

    assert response.status_code == 400
    message = response.context["form"].non_field_errors()[0]
    assert re.fullmatch(r"请在\d+秒后再获取验证码。", message)
    assert len(sms.outbox) == 1


@pytest.mark.parametrize(
    ("_case", "code", "message"),
    [
        ("no code asked for", None, "请先获取验证码。"),
        ("wrong code", "wrong", "验证码不正确，还可以再试4次。"),
        ("code missing", "", "请输入短信验证码。"),
        ("code not six digits", "12345", "验证码应为6位数字。"),
    ],
)
def test_the_account_is_created_only_with_the_code_texted_to_the_mobile(
    db: None, _case: str, code: str | None, message: str
) -> None:
    client = Client()
    if code is None:
        code = "123456"
    else:
        client.post(URL, form_data(send_code="1"))
        if code == "wrong":
            code = f"{(int(code_on_phone('13912345678')) + 1) % 1_000_000:06d}"

    response = client.post(URL, form_data(sms_code=code))

    assert response.status_code == 400
    assert response.context["form"].errors["sms_code"] == [message]
    assert f'<a href="#id_sms_code">{message}</a>' in response.content.decode()
    assert not User.objects.exists()
    assert SESSION_KEY not in client.session


def test_a_code_texted_to_another_mobile_does_not_sign_up_this_one(db: None) -> None:
    client = Client()
    client.post(URL, form_data(send_code="1", mobile="13700137000"))

    response = client.post(URL, form_data(sms_code=code_on_phone("13700137000")))

    assert response.context["form"].errors["sms_code"] == ["请先获取验证码。"]
    assert not User.objects.exists()


def test_a_refused_id_number_does_not_use_up_the_code(citizen: User) -> None:
    client = Client()
    client.post(URL, form_data(send_code="1"))
    code = code_on_phone("13912345678")

    refused = client.post(URL, form_data(id_number=ZHANGSAN_ID, sms_code=code))
    accepted = client.post(URL, form_data(sms_code=code))

    assert refused.context["form"].errors["id_number"] == ["该公民身份号码已注册。"]
    assert accepted.status_code == 302
    assert OneTimeCode.objects.get().attempts == 1


def test_pressing_enter_in_a_field_signs_up_rather_than_asking_for_another_code(
    db: None,
) -> None:
    html = Client().get(URL).content.decode()

    form = html[html.index('<form method="post" action="/accounts/sign-up/"') :]
    first_button = re.search(r"<button[^>]*>", form)
    assert first_button is not None
    assert first_button.group(0) == '<button type="submit" hidden tabindex="-1">'
