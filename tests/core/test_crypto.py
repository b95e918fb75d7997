"""Encrypted fields, blind indexes and key rotation (core.crypto, RELIABILITY SEC-DP-02)."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

import pytest
from cryptography.fernet import Fernet

from accounts.models import User
from accounts.services import citizen_create
from core.crypto import (
    PersonalDataKeyError,
    blind_index,
    decrypt,
    encrypt,
    personal_data_rotate,
)

ROOT = Path(__file__).resolve().parents[2]
KEY_A, KEY_B, KEY_C = (Fernet.generate_key().decode() for _key in range(3))
PEOPLE = [
    ("张三", "11010519491231002X", "13800138000"),
    ("李四", "110105199003071234", "13900139000"),
    ("王五", "11010519500101123X", "13700137000"),
]


def _valid(number: str) -> str:
    from stdnum.cn import ric

    return number[:17] + ric.calc_check_digit(number[:17] + "0")


def _people() -> list[User]:
    return [
        citizen_create(
            username=f"c{index}",
            password="pw-citizen-1",
            real_name=name,
            id_number=_valid(number),
            mobile=mobile,
        )
        for index, (name, number, mobile) in enumerate(PEOPLE)
    ]


def _raw_user_columns() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile FROM accounts_user ORDER BY id")
        return [(str(row[0]), str(row[1])) for row in cursor.fetchall()]


def test_a_value_round_trips_and_the_token_does_not_contain_it() -> None:
    token = encrypt("11010519491231002X")

    assert "11010519491231002X" not in token
    assert token != encrypt("11010519491231002X")  # random IV: equal values, different tokens
    assert decrypt(token) == "11010519491231002X"


def test_the_blind_index_matches_however_the_value_was_typed() -> None:
    assert blind_index("11010519491231002x", kind="id_number") == blind_index(
        " 11010519491231002X", kind="id_number"
    )
    assert blind_index("138 0013 8000", kind="mobile") == blind_index("13800138000", kind="mobile")
    # The kind is part of the digest: equal digits of different kinds never collide.
    assert blind_index("13800138000", kind="mobile") != blind_index(
        "13800138000", kind="holder_code"
    )
    assert re.fullmatch(r"[0-9a-f]{64}", blind_index("13800138000", kind="mobile"))


def test_the_blind_index_depends_on_its_key() -> None:
    before = blind_index("13800138000", kind="mobile")
    with override_settings(PERSONAL_DATA_INDEX_KEY="another-index-key"):
        assert blind_index("13800138000", kind="mobile") != before


def test_a_token_made_with_another_key_fails_loudly() -> None:
    with override_settings(PERSONAL_DATA_KEYS=[KEY_A]):
        token = encrypt("13800138000")
    with override_settings(PERSONAL_DATA_KEYS=[KEY_B]), pytest.raises(PersonalDataKeyError):
        decrypt(token)


def test_a_malformed_key_is_refused() -> None:
    with (
        override_settings(PERSONAL_DATA_KEYS=["not-a-fernet-key"]),
        pytest.raises(ImproperlyConfigured, match="Fernet key"),
    ):
        encrypt("13800138000")


def test_reading_a_row_with_a_missing_key_raises_instead_of_showing_blanks(db: None) -> None:
    with override_settings(PERSONAL_DATA_KEYS=[KEY_A]):
        _people()
    with override_settings(PERSONAL_DATA_KEYS=[KEY_B]), pytest.raises(PersonalDataKeyError):
        list(User.objects.values_list("id_number", flat=True))


def test_looking_up_an_encrypted_column_by_value_is_an_error_not_an_empty_result(db: None) -> None:
    _people()

    with pytest.raises(FieldError, match="blind index"):
        User.objects.filter(id_number="11010519491231002X").exists()
    with pytest.raises(FieldError):
        User.objects.filter(mobile__startswith="138").exists()
    # Blank checks still work: nothing secret about an empty value.
    assert User.objects.filter(mobile="").count() == 0
    assert User.objects.filter(id_number__isnull=False).count() == 3


def test_rotation_re_encrypts_every_row_with_the_new_key_and_values_read_back_equal(
    db: None,
) -> None:
    with override_settings(PERSONAL_DATA_KEYS=[KEY_A]):
        _people()
        plain = list(User.objects.order_by("pk").values_list("id_number", "mobile"))
    before = _raw_user_columns()

    with override_settings(PERSONAL_DATA_KEYS=[KEY_B, KEY_A]):
        report = personal_data_rotate(batch_size=2)  # two batches

    assert (report.rows, report.failures) == (3, [])
    after = _raw_user_columns()
    assert all(a != b for a, b in zip(before, after, strict=True))
    # Only the new key is needed now, and every value reads back as it was.
    with override_settings(PERSONAL_DATA_KEYS=[KEY_B]):
        assert list(User.objects.order_by("pk").values_list("id_number", "mobile")) == plain


def test_the_rotation_command_reports_rows_and_zero_failures(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with override_settings(PERSONAL_DATA_KEYS=[KEY_A]):
        _people()

    with override_settings(PERSONAL_DATA_KEYS=[KEY_B, KEY_A]):
        call_command("rotate_personal_data_keys")

    assert "3 rows re-encrypted (6 values), 0 failures." in capsys.readouterr().out


def test_rotation_without_the_old_key_fails_loudly_and_changes_nothing(db: None) -> None:
    with override_settings(PERSONAL_DATA_KEYS=[KEY_A]):
        _people()
    before = _raw_user_columns()

    with (
        override_settings(PERSONAL_DATA_KEYS=[KEY_C]),
        pytest.raises(CommandError, match="3 rows could not be decrypted"),
    ):
        call_command("rotate_personal_data_keys")

    assert _raw_user_columns() == before


def test_rotation_recomputes_the_blind_indexes_for_a_new_index_key(db: None) -> None:
    _people()

    with override_settings(PERSONAL_DATA_INDEX_KEY="the-new-index-key"):
        assert not User.objects.filter(
            mobile_index=blind_index("13800138000", kind="mobile")
        ).exists()
        personal_data_rotate()
        found = User.objects.get(mobile_index=blind_index("13800138000", kind="mobile"))

    assert found.real_name == "张三"


@pytest.mark.parametrize(
    "missing", ["PERSONAL_DATA_KEYS", "PERSONAL_DATA_INDEX_KEY", "AUDIT_ANCHOR_KEY"]
)
def test_production_settings_refuse_to_start_without_the_keys(missing: str) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "x" * 50,
        "SIGNING_KEY_PASSPHRASE": "passphrase",
        "ALLOWED_HOSTS": "example.org",
        "PERSONAL_DATA_KEYS": KEY_A,
        "PERSONAL_DATA_INDEX_KEY": "index-key",
        "AUDIT_ANCHOR_KEY": "a" * 32,
    }
    del env[missing]

    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings.production"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
