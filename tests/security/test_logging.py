"""Logs (SEC-LOG-06, SEC-LOG-02 defence in depth): one JSON object per line whatever a user typed,
the request id on every line written while serving a request, ID numbers and mobiles masked."""

import io
import json
import logging

from django.test import Client
from django.urls import reverse

import pytest

from core.logging import JsonFormatter, PersonalDataFilter, PlainFormatter, RequestIdFilter

VALID_ID = "11010519491231002X"  # GB 11643 checksum holds
WRONG_CHECKSUM_ID = "110105194912310021"
INJECTION = (
    'zhangsan\r\n{"level": "INFO", "message": "admin signed in"}\x1b[31mRED\x1b[0m\u2028x\x9b2J'
)


def formatted(formatter: logging.Formatter, message: str, *args: object) -> str:
    record = logging.LogRecord("tongban.test", logging.WARNING, __file__, 1, message, args, None)
    for record_filter in (RequestIdFilter(), PersonalDataFilter()):
        record_filter.filter(record)
    return formatter.format(record)


def test_an_injected_line_break_escape_or_fake_json_stays_inside_one_field() -> None:
    line = formatted(JsonFormatter(), "Sign-in failed for %s", INJECTION)

    assert "\n" not in line
    assert "\r" not in line
    assert "\x1b" not in line
    assert "\x9b" not in line
    assert "\u2028" not in line
    entry = json.loads(line)
    assert entry["message"] == f"Sign-in failed for {INJECTION}"  # escaped, not altered
    assert entry["level"] == "WARNING"


def test_the_plain_format_shows_control_characters_escaped() -> None:
    line = formatted(
        PlainFormatter("%(levelname)s [%(request_id)s] %(message)s"), "user %s", INJECTION
    )

    assert "\n" not in line
    assert "\r" not in line
    assert "\x1b" not in line
    assert line.startswith("WARNING [-] user zhangsan\\r\\n{")
    assert "\\x1b[31mRED" in line


def test_a_sign_in_with_a_forged_username_writes_only_well_formed_lines(
    log_lines: io.StringIO, db: None
) -> None:
    Client().post(reverse("sign-in"), {"account": INJECTION, "password": "wrong-password-1"})
    logging.getLogger("accounts").warning("Sign-in failed for %s", INJECTION)

    lines = log_lines.getvalue().splitlines()
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert any(entry["message"].endswith(INJECTION) for entry in entries)
    assert all(
        entry["level"] != "INFO" or entry["message"] != "admin signed in" for entry in entries
    )


def test_lines_written_while_serving_a_request_carry_its_id(
    log_lines: io.StringIO, client: Client, db: None
) -> None:
    response = client.get("/no-such-page/", headers={"X-Request-ID": "req-1234-abcd"})
    logging.getLogger("tongban.test").warning("outside any request")

    entries = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    assert response.status_code == 404
    assert response["X-Request-ID"] == "req-1234-abcd"
    assert [e["request_id"] for e in entries if e["logger"] == "django.request"] == [
        "req-1234-abcd"
    ]
    assert [e["request_id"] for e in entries if e["message"] == "outside any request"] == ["-"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"citizen {VALID_ID} signed up", "citizen 110105********002X signed up"),
        (f"citizen {VALID_ID.lower()} signed up", "citizen 110105********002x signed up"),
        ("texted 13800138000.", "texted 138****8000."),
        ("mobile=+8613912345678", "mobile=+86139****5678"),
        # Not personal data: left as they are.
        (f"order {WRONG_CHECKSUM_ID}", f"order {WRONG_CHECKSUM_ID}"),
        ("query number 138001380001", "query number 138001380001"),
        (
            "reference A1101051949123100200000120260301000001",
            "reference A1101051949123100200000120260301000001",
        ),
        ("took 12345678901234567 ns", "took 12345678901234567 ns"),
    ],
)
def test_id_numbers_and_mobiles_are_masked_in_every_record(text: str, expected: str) -> None:
    entry = json.loads(formatted(JsonFormatter(), "%s", text))

    assert entry["message"] == expected


def test_personal_data_in_an_exception_or_extra_field_is_masked_too(log_lines: io.StringIO) -> None:
    logger = logging.getLogger("tongban.test")
    try:
        raise ValueError(f"no account for {VALID_ID}")
    except ValueError:
        logger.exception("lookup failed", extra={"mobile": "13800138000"})

    output = log_lines.getvalue()
    assert VALID_ID not in output
    assert "13800138000" not in output
    entry = json.loads(output.splitlines()[-1])
    assert "110105********002X" in entry["exc"]
    assert entry["mobile"] == "138****8000"
