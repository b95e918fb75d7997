"""An ID number python-stdnum chokes on (a KeyError, not a ValidationError, for an area code it
knows only at province level) is an invalid number like any other: the sign-up page explains it,
and logging a message that contains it works."""

import io
import logging

from django.test import Client
from django.urls import reverse

import pytest

from accounts.models import User
from core.logging import PersonalDataFilter, PlainFormatter

CHOKING_ID = "112485375803055739"  # checksum and date pass; stdnum raises KeyError on the area
AREA_MESSAGE = "公民身份号码前6位的地址码不正确，请核对后重新输入。"


def sign_up_data(**changes: str) -> dict[str, str]:
    return {
        "real_name": "王小明",
        "id_number": CHOKING_ID,
        "mobile": "13912345678",
        "sms_code": "000000",
        "password": "lantern-river-42",
        "password_confirm": "lantern-river-42",
        "agreement": "on",
        **changes,
    }


@pytest.mark.parametrize("button", [{}, {"send_code": "1"}], ids=["sign up", "get the code"])
def test_the_sign_up_page_explains_the_number_instead_of_failing(
    db: None, button: dict[str, str]
) -> None:
    response = Client().post(reverse("sign-up"), sign_up_data(**button))

    assert response.status_code == 400
    assert response.context["form"].errors["id_number"] == [AREA_MESSAGE]
    assert AREA_MESSAGE in response.content.decode()
    assert not User.objects.exists()


def test_logging_a_message_containing_the_number_does_not_raise() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(PlainFormatter("%(message)s"))
    logger = logging.getLogger("tongban.test.unknown_area")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("sign-up refused for %s and %s", CHOKING_ID, "11010519491231002X")
    finally:
        logger.removeHandler(handler)
        logger.propagate = True

    # Not a valid ID number, so left as it is; the valid one next to it is still masked.
    assert stream.getvalue() == f"sign-up refused for {CHOKING_ID} and 110105********002X\n"
