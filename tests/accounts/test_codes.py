"""One-time SMS codes: texted once, stored hashed, limited, accepted once."""

import datetime as dt
import logging
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from pytest_django import Settings

from accounts.choices import CodePurpose
from accounts.codes import CodeError, CodeSendError, code_check, code_send
from accounts.models import OneTimeCode
from core import sms

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2025, 11, 22, 10, 30, tzinfo=SHANGHAI)
MOBILE = "13912345678"
SIGN_IN = CodePurpose.SIGN_IN


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> Iterator[None]:
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def texted_code() -> str:
    match = re.search(r"验证码是(\d{6})", sms.outbox[-1].text)
    assert match is not None
    return match.group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def later(seconds: float) -> dt.datetime:
    return NOW + dt.timedelta(seconds=seconds)


def test_a_code_is_six_digits_texted_with_no_personal_data_and_stored_only_hashed(
    db: None,
) -> None:
    row = code_send(purpose=SIGN_IN, mobile=MOBILE, now=NOW)

    code = texted_code()
    assert sms.outbox == [
        sms.SmsMessage(
            mobile=MOBILE, text=f"【通办】您的验证码是{code}，5分钟内有效。如非本人操作请忽略。"
        )
    ]
    assert code not in row.code_hash
    assert (row.expires_at, row.attempts, row.used_at) == (later(300), 0, None)


def test_the_log_shows_the_mobile_masked_and_never_the_code(
    db: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="accounts.codes"):
        code_send(purpose=SIGN_IN, mobile=MOBILE, now=NOW)

    assert caplog.messages == ["SMS code SIGN_IN sent to 139****5678"]


def test_the_right_code_is_accepted_once(db: None) -> None:
    code_send(purpose=SIGN_IN, mobile=MOBILE, now=NOW)
    code = texted_code()

    row = code_check(purpose=SIGN_IN, mobile=MOBILE, code=code, now=later(10))
    with pytest.raises(CodeError) as again:
        code_check(purpose=SIGN_IN, mobile=MOBILE, code=code, now=later(20))

    assert row.used_at == later(10)
    assert again.value.message == "验证码已使用，请重新获取。"


def test_an_expired_code_is_refused(db: None) -> None:
    code_send(purpose=SIGN_IN, mobile=MOBILE, now=NOW)

    with pytest.raises(CodeError) as refused:
        code_check(purpose=SIGN_IN, mobile=MOBILE, code=texted_code(), now=later(300))

    assert refused.value.message == "验证码已过期，请重新获取。"
    assert refused.value.errors == {"sms_code": ["验证码已过期，请重新获取。"]}


def test_after_five_wrong_tries_even_the_right_code_is_refused(db: None) -> None:
    code_send(purpose=SIGN_IN, mobile=MOBILE, now=NOW)
    code = texted_code()
    messages = []
    for _try in range(5):
        with pytest.raises(CodeError) as refused:
            code_check(purpose=SIGN_IN, mobile=MOBILE, code=wrong(code), now=later(10))
        messages.append(refused.value.message)

    with pytest.raises(CodeError) as dead:
        code_check(purpose=SIGN_IN, mobile=MOBILE, code=code, now=later(20))

    assert messages == [
        "验证码不正确，还可以再试4次。",
        "验证码不正确，还可以再试3次。",
        "验证码不正确，还可以再试2次。",
        "验证码不正确，还可以再试1次。",
        "验证码输入错误次数过多，已失效，请重新获取。",
    ]
    assert dead.value.message == "验证码输入错误次数过多，已失效，请重新获取。"
    assert OneTimeCode.objects.get().used_at is None


def test_a_code_is_only_good_for_its_purpose_and_mobile(db: None) -> None:
    code_send(purpose=SIGN_IN, mobile=MOBILE, now=NOW)
    code = texted_code()

    with pytest.raises(CodeError) as other_purpose:
        code_check(purpose=CodePurpose.RESET_PASSWORD, mobile=MOBILE, code=code, now=later(5))
    with pytest.raises(CodeError) as other_mobile:
        code_check(purpose=SIGN_IN, mobile="13800138000", code=code, now=later(5))

    assert other_purpose.value.message == other_mobile.value.message == "请先获取验证码。"


def test_a_new_code_retires_the_previous_one(db: None) -> None:
    code_send(purpose=SIGN_IN, mobile=MOBILE, now=NOW)
    first = texted_code()
    code_send(purpose=SIGN_IN, mobile=MOBILE, now=later(60))
    second = texted_code()

    if first != second:  # one chance in a million that they are equal
        with pytest.raises(CodeError):
            code_check(purpose=SIGN_IN, mobile=MOBILE, code=first, now=later(70))
    assert code_check(purpose=SIGN_IN, mobile=MOBILE, code=second, now=later(80)).pk


def test_asking_again_within_a_minute_is_refused_and_texts_nothing(db: None) -> None:
    code_send(purpose=SIGN_IN, mobile=MOBILE, now=NOW)

    with pytest.raises(CodeSendError) as refused:
        code_send(purpose=SIGN_IN, mobile=MOBILE, now=later(45))

    assert refused.value.message == "请在15秒后再获取验证码。"
    assert len(sms.outbox) == 1
    assert OneTimeCode.objects.count() == 1


def test_the_wait_is_per_purpose(db: None) -> None:
    code_send(purpose=SIGN_IN, mobile=MOBILE, now=NOW)

    code_send(purpose=CodePurpose.RESET_PASSWORD, mobile=MOBILE, now=later(1))

    assert len(sms.outbox) == 2


def test_the_daily_limit_refuses_the_eleventh_code_and_resets_at_midnight(
    db: None, settings: Settings
) -> None:
    for number in range(10):
        code_send(purpose=SIGN_IN, mobile=MOBILE, now=later(60 * number))

    with pytest.raises(CodeSendError) as refused:
        code_send(purpose=SIGN_IN, mobile=MOBILE, now=later(3600))
    tomorrow = dt.datetime(2025, 11, 23, 0, 0, 1, tzinfo=SHANGHAI)
    code_send(purpose=SIGN_IN, mobile=MOBILE, now=tomorrow)

    assert refused.value.message == "今天获取验证码的次数已达上限，请明天再试。"
    assert len(sms.outbox) == 11


def test_a_provider_refusal_keeps_nothing_so_the_citizen_may_ask_again(
    db: None, settings: Settings
) -> None:
    settings.SMS_BACKEND = "tests.notifications.backends.RefusingSmsBackend"

    with pytest.raises(CodeSendError) as refused:
        code_send(purpose=SIGN_IN, mobile=MOBILE, now=NOW)

    assert refused.value.message == "短信发送失败，请稍后再试。"
    assert not OneTimeCode.objects.exists()


def test_a_decoy_is_recorded_and_limited_like_a_code_but_never_texted(db: None) -> None:
    code_send(purpose=SIGN_IN, mobile=MOBILE, now=NOW, deliver=False)

    with pytest.raises(CodeSendError):
        code_send(purpose=SIGN_IN, mobile=MOBILE, now=later(10), deliver=False)
    with pytest.raises(CodeError) as refused:
        code_check(purpose=SIGN_IN, mobile=MOBILE, code="123456", now=later(20))

    assert sms.outbox == []
    assert refused.value.message == "验证码不正确，还可以再试4次。"
