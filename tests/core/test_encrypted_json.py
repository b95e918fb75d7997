"""EncryptedJSONField and its migration helpers (core.crypto, RELIABILITY SEC-DP-02): a JSON value
stored as a Fernet token, read back as it was, in the key order the jsonb column returned."""

import json
from typing import Any

from django import forms
from django.db import connection

import pytest
from cryptography.fernet import Fernet

from applications.models import Application
from certificates.models import Certificate
from core.crypto import (
    EncryptedJSONField,
    PersonalDataKeyError,
    decrypt,
    encrypted_json_fields,
    json_canonical,
    json_column_decrypt,
    json_column_encrypt,
)

VALUES: list[Any] = [
    {"name": "李四", "id_number": "11010519491231002X", "mobile": "13800138000"},
    {"nested": {"b": [1, 2.5, None, True], "aa": {"z": "", "y": "地址"}}, "": 0},
    [],
    {},
    "a plain string",
    12,
]
SCRATCH = "test_encrypted_json_scratch"


@pytest.fixture
def field() -> EncryptedJSONField:
    answers = Application._meta.get_field("answers")
    assert isinstance(answers, EncryptedJSONField)
    return answers


@pytest.mark.parametrize("value", VALUES)
def test_a_value_is_stored_as_a_token_and_reads_back_equal(
    field: EncryptedJSONField, value: Any
) -> None:
    stored = field.get_db_prep_save(value, connection)

    assert stored.startswith("gAAAAA")
    assert "李四" not in stored
    assert "13800138000" not in stored
    assert json.loads(decrypt(stored)) == value
    assert field.from_db_value(stored, None, connection) == value


def test_none_stays_null(field: EncryptedJSONField) -> None:
    assert field.get_db_prep_save(None, connection) is None
    assert field.from_db_value(None, None, connection) is None


def test_each_write_is_a_new_token_of_the_same_value(field: EncryptedJSONField) -> None:
    first, second = (field.get_db_prep_save({"a": 1}, connection) for _ in range(2))

    assert first != second  # a random IV each time: equal answers are not visibly equal
    assert field.from_db_value(first, None, connection) == field.from_db_value(
        second, None, connection
    )


@pytest.mark.django_db
def test_keys_come_back_in_the_order_the_jsonb_column_returned_them() -> None:
    value = {
        "mobile": 1,
        "id_number": 2,
        "name": 3,
        "ab": 4,
        "b": 5,
        "名称": 6,
        "aa": {"zz": 1, "y": 2},
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::jsonb::text", [json.dumps(value, ensure_ascii=False)])
        from_jsonb = json.loads(cursor.fetchone()[0])

    canonical = json.loads(json_canonical(value))

    assert list(canonical) == list(from_jsonb)
    assert list(canonical["aa"]) == list(from_jsonb["aa"])


def test_what_jsonb_refused_is_refused() -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        json_canonical({"area": float("nan")})
    with pytest.raises(TypeError):
        json_canonical({"when": object()})


def test_a_token_of_another_key_raises_instead_of_reading_blank(
    field: EncryptedJSONField,
) -> None:
    foreign = Fernet(Fernet.generate_key()).encrypt(b'{"a":1}').decode()

    with pytest.raises(PersonalDataKeyError):
        field.from_db_value(foreign, None, connection)


def test_forms_and_serialisers_see_json_not_text(field: EncryptedJSONField) -> None:
    case = Application(answers={"shop_name": "好味小馆"})

    assert isinstance(field.formfield(), forms.JSONField)
    assert field.value_to_string(case) == {"shop_name": "好味小馆"}
    assert field.to_python({"a": 1}) == {"a": 1}


def test_the_personal_json_columns_are_the_encrypted_ones() -> None:
    assert [f.name for f in encrypted_json_fields(Application)] == ["answers"]
    assert [f.name for f in encrypted_json_fields(Certificate)] == ["data"]
    assert Application._meta.get_field("situation").get_internal_type() == "JSONField"


# --- The migration helpers, on a scratch table shaped as AlterField leaves the column ---------


@pytest.fixture
def scratch(db: None) -> None:
    """Rows of plain JSON text in a text column (the cast from jsonb), and one NULL. The test
    transaction's rollback drops the table."""
    rows = ['{"id_number": "11010519491231002X", "name": "李四"}', "[]", "{}", None]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {SCRATCH} (id serial PRIMARY KEY, payload text)")
        for row in rows:
            cursor.execute(f"INSERT INTO {SCRATCH} (payload) VALUES (%s)", [row])  # noqa: S608


def _stored() -> list[str | None]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT payload FROM {SCRATCH} ORDER BY id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_the_column_helpers_encrypt_in_batches_skip_tokens_and_decrypt_back(
    scratch: None,
) -> None:
    with connection.schema_editor() as editor:
        encrypted = json_column_encrypt(editor, table=SCRATCH, column="payload", batch_size=2)
        again = json_column_encrypt(editor, table=SCRATCH, column="payload", batch_size=2)
        sealed = _stored()
        decrypted = json_column_decrypt(editor, table=SCRATCH, column="payload")

    assert (encrypted, again, decrypted) == (3, 0, 3)
    assert all(value and value.startswith("gAAAAA") for value in sealed[:3])
    assert sealed[3] is None
    assert [json.loads(value) if value else value for value in _stored()] == [
        {"name": "李四", "id_number": "11010519491231002X"},
        [],
        {},
        None,
    ]
