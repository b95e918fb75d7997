"""Personal data at rest (DOMAIN §9.3, RELIABILITY SEC-DP-02): encrypted fields and blind indexes.

`EncryptedCharField` stores a Fernet token instead of the value. Fernet (AES-128-CBC with an
HMAC-SHA256 tag, from the `cryptography` package) is chosen over hand-assembled AES-GCM because it
is a complete, misuse-resistant recipe: random IV, authenticated, versioned tokens, and
`MultiFernet` gives key rotation for free (the first key encrypts, every key decrypts,
`rotate()` re-encrypts). SM4 behind a certified module (密评) would replace it behind the same two
functions, `encrypt` and `decrypt`.

Keys come from settings.PERSONAL_DATA_KEYS (a list of Fernet keys, newest first). Outside
production, an empty list means one key derived from SECRET_KEY, so development and tests need no
set-up; production settings require the list explicitly.

An encrypted column cannot be searched. Where code looks a value up (sign-in by ID number or
mobile, "already registered"), a `BlindIndexField` next to it holds
HMAC-SHA256(PERSONAL_DATA_INDEX_KEY, kind ‖ normalised value), and lookups go through
`blind_index()`. Filtering on the encrypted field itself raises instead of silently matching
nothing.

`EncryptedJSONField` does the same for free-form JSON that may hold personal data (a case's form
answers, a certificate's printed fields): the column holds a Fernet token of the value's JSON
text, and nothing may query into it.
"""

import base64
import functools
import hashlib
import hmac
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models.expressions import Expression
from django.db.models.lookups import Exact, IsNull, Lookup

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

# "address": where a notification goes (notifications.Notification), a mobile or an e-mail address.
IndexKind = Literal["id_number", "mobile", "holder_code", "address"]


class PersonalDataKeyError(ImproperlyConfigured):
    """A stored value cannot be decrypted with any configured key: a key is missing or wrong.

    Raised, never swallowed: showing ciphertext or an empty value instead would hide the fault
    and let a form save the blank back over the real value.
    """


def _derived_key(label: str) -> bytes:
    """A development key derived from SECRET_KEY (never used in production, see settings)."""
    return hashlib.sha256(f"tongban:{label}:{settings.SECRET_KEY}".encode()).digest()


def _keys() -> tuple[str, ...]:
    keys = tuple(str(key) for key in settings.PERSONAL_DATA_KEYS if str(key).strip())
    if keys:
        return keys
    return (base64.urlsafe_b64encode(_derived_key("personal-data")).decode(),)


@functools.lru_cache(maxsize=8)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:  # not 32 url-safe base64-encoded bytes
        raise ImproperlyConfigured(
            "PERSONAL_DATA_KEYS: every key must be a Fernet key "
            "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key())')."
        ) from exc


def fernet() -> MultiFernet:
    """The key ring as settings stand now (cached per distinct key list)."""
    return _fernet_for(_keys())


def encrypt(value: str) -> str:
    """A Fernet token (ASCII) for `value`, made with the first key."""
    return fernet().encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The plain value of `token`.

    :raises PersonalDataKeyError: if no configured key opens it (or it is not a token at all).
    """
    try:
        return fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError):
        raise PersonalDataKeyError(
            "A personal-data value cannot be decrypted with PERSONAL_DATA_KEYS: "
            "a key is missing or wrong."
        ) from None


def reencrypt(token: str) -> str:
    """`token` re-encrypted with the first key (MultiFernet.rotate).

    :raises PersonalDataKeyError: as `decrypt`.
    """
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError):
        raise PersonalDataKeyError(
            "A personal-data value cannot be decrypted with PERSONAL_DATA_KEYS: "
            "a key is missing or wrong."
        ) from None


def _index_key() -> bytes:
    key = str(settings.PERSONAL_DATA_INDEX_KEY)
    return key.encode() if key else _derived_key("personal-data-index")


_NON_DIGITS = re.compile(r"\D")


def normalise_for_index(value: str, *, kind: IndexKind) -> str:
    """The form a value is indexed in: ID numbers and holder codes upper-case without spaces
    (a typed lower-case x still matches), mobiles digits only."""
    if kind == "mobile":
        return _NON_DIGITS.sub("", value)
    return "".join(value.split()).upper()


def blind_index(value: str, *, kind: IndexKind) -> str:
    """HMAC-SHA256 (hex) of the normalised value under PERSONAL_DATA_INDEX_KEY.

    `kind` is part of the message, so an ID number and a mobile never share a digest.
    """
    message = f"{kind}\x00{normalise_for_index(value, kind=kind)}".encode()
    return hmac.new(_index_key(), message, hashlib.sha256).hexdigest()


class _EmptyOnlyExact(Exact):
    """`field=""` still works (it is stored as ""); any other value would never match a token."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None) and not isinstance(self.rhs, Expression):
            raise FieldError(
                f"{self.lhs.target.name} is encrypted: look it up through its blind index "
                f"(core.crypto.blind_index), not by value."
            )
        return super().get_prep_lookup()


class EncryptedCharField(models.CharField[Any, Any]):
    """A CharField whose column holds a Fernet token; in Python the value is the plain string.

    `max_length` limits the plain value (forms, validation); the column is text, long enough
    for the token. "" and None are stored as they are (nothing to hide), so blank checks work.
    Only `isnull` and `= ""` lookups are allowed; use the companion `BlindIndexField` to search.
    """

    description = "Encrypted text (Fernet)"
    _allowed_lookups: ClassVar[frozenset[str]] = frozenset({"exact", "isnull"})

    def get_internal_type(self) -> str:
        return "TextField"

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_db_prep_save(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        value = super().get_db_prep_save(value, connection)
        if isinstance(value, str) and value:
            return encrypt(value)
        return value

    def from_db_value(
        self, value: str | None, expression: object, connection: BaseDatabaseWrapper
    ) -> str | None:
        if not value:
            return value
        return decrypt(value)


class BlindIndexField(models.CharField[Any, Any]):
    """The blind index of another field of the same model, computed on every save.

    Empty source → NULL, so a unique index on it ignores accounts without the value. Models with
    one inherit `BlindIndexedModel`, which adds the index to `save(update_fields=…)`.
    """

    def __init__(self, *args: Any, source: str, kind: IndexKind, **kwargs: Any) -> None:
        self.source, self.kind = source, kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"], kwargs["kind"] = self.source, self.kind
        for key, default in (("max_length", 64), ("editable", False), ("null", True)):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        if kwargs.get("blank") is True:
            kwargs.pop("blank")
        return name, path, args, kwargs

    def index_of(self, value: str | None) -> str | None:
        return blind_index(value, kind=self.kind) if value else None

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        digest = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, digest)
        return digest


class BlindIndexedModel(models.Model):
    """Keeps blind indexes in step: `save(update_fields=["mobile"])` also writes `mobile_index`."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields: Sequence[str] | None = kwargs.get("update_fields")
        if update_fields is not None:
            names = set(update_fields)
            for candidate in self._meta.concrete_fields:
                if isinstance(candidate, BlindIndexField) and candidate.source in names:
                    names.add(candidate.name)
            kwargs["update_fields"] = names
        super().save(*args, **kwargs)


def _jsonb_ordered(value: Any) -> Any:
    """`value` with every object's keys in jsonb's order: shorter first, then by UTF-8 bytes."""
    if isinstance(value, dict):
        items = [(key if isinstance(key, str) else json.dumps(key), v) for key, v in value.items()]
        items.sort(key=lambda item: (len(item[0].encode()), item[0].encode()))
        return {key: _jsonb_ordered(v) for key, v in items}
    if isinstance(value, list | tuple):
        return [_jsonb_ordered(v) for v in value]
    return value


def json_canonical(value: Any) -> str:
    """Compact JSON text of `value`, keys in jsonb's order.

    The encrypted columns replace jsonb columns: keeping jsonb's key order means a value reads back
    exactly as the jsonb column returned it (the API lists answers in the same order as before).

    :raises TypeError: if `value` holds something JSON cannot represent.
    :raises ValueError: for NaN or infinity, which jsonb refused too.
    """
    return json.dumps(
        _jsonb_ordered(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


class EncryptedJSONField(models.TextField[Any, Any]):
    """A JSON value (dict, list, str, number, bool) whose column holds a Fernet token of its
    canonical JSON text; in Python the value is the decoded JSON, as with `models.JSONField`.

    Every value but None is encrypted, `{}` included, so the column never shows what a row holds.
    Only `isnull` may be looked up: a key lookup (`answers__id_number`) or a comparison would need
    the plain text in the database, so it raises FieldError instead.
    """

    description = "Encrypted JSON (Fernet)"
    empty_strings_allowed = False
    # For django-stubs' mypy plugin: any JSON value, as models.JSONField declares.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        return IsNull if lookup_name == "isnull" else None

    def get_transform(self, lookup_name: str) -> Any:
        return None  # no KeyTransform: `answers__id_number` is refused (FieldError)

    def to_python(self, value: Any) -> Any:
        return value  # already the JSON value (forms.JSONField and deserializers decode)

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return json_canonical(value)

    def get_db_prep_save(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        text = super().get_db_prep_save(value, connection)
        return encrypt(text) if isinstance(text, str) else text

    def from_db_value(self, value: str | None, expression: object, connection: object) -> Any:
        if value is None:
            return None
        return json.loads(decrypt(value))

    def value_to_string(self, obj: models.Model) -> Any:
        return self.value_from_object(obj)  # serializers (dumpdata) write the JSON value itself

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": forms.JSONField, **kwargs})


def _is_token(stored: str) -> bool:
    # Fernet tokens start with the version byte 0x80 and a 64-bit timestamp: "gAAAAA" in base64.
    # JSON text starts with {, [, ", a digit, -, t, f or n: it is never mistaken for a token.
    return stored.startswith("gAAAAA")


def json_column_encrypt(
    schema_editor: BaseDatabaseSchemaEditor, *, table: str, column: str, batch_size: int = 500
) -> int:
    """Encrypt the plain JSON text left in a text column by `AlterField` from JSONField to
    EncryptedJSONField (the cast writes jsonb's text form). For data migrations; rows already
    holding a token are skipped, so running it twice is harmless. Returns the rows encrypted."""
    return _json_column_convert(
        schema_editor,
        table=table,
        column=column,
        batch_size=batch_size,
        convert=lambda stored: (
            None if _is_token(stored) else encrypt(json_canonical(json.loads(stored)))
        ),
    )


def json_column_decrypt(
    schema_editor: BaseDatabaseSchemaEditor, *, table: str, column: str, batch_size: int = 500
) -> int:
    """Reverse of `json_column_encrypt`: plain JSON text again, ready to be cast back to jsonb.

    :raises PersonalDataKeyError: if a token cannot be opened with PERSONAL_DATA_KEYS.
    """
    return _json_column_convert(
        schema_editor,
        table=table,
        column=column,
        batch_size=batch_size,
        convert=lambda stored: decrypt(stored) if _is_token(stored) else None,
    )


def _json_column_convert(
    schema_editor: BaseDatabaseSchemaEditor,
    *,
    table: str,
    column: str,
    batch_size: int,
    convert: Callable[[str], str | None],
) -> int:
    """Rewrite every non-NULL value of `table.column` by `convert` (None: leave it), in pk order,
    `batch_size` rows read at a time so a large table is never held in memory."""
    quote = schema_editor.quote_name
    select = (
        f"SELECT id, {quote(column)} FROM {quote(table)} "  # noqa: S608  (names quoted, values bound)
        f"WHERE id > %s AND {quote(column)} IS NOT NULL ORDER BY id LIMIT %s"
    )
    update = f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s"  # noqa: S608
    done, last = 0, 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(select, [last, batch_size])
            rows = cursor.fetchall()
            if not rows:
                return done
            last = rows[-1][0]
            changes = [
                (new, pk) for pk, stored in rows if (new := convert(str(stored))) is not None
            ]
            if changes:
                # nosemgrep: tongban-raw-sql-format -- quoted names of our own table and column; values bound
                cursor.executemany(update, changes)
                done += len(changes)


def encrypted_fields(model: type[models.Model]) -> list[EncryptedCharField]:
    """The encrypted text fields of `model` (ID numbers, mobiles, codes, addresses)."""
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]


def encrypted_json_fields(model: type[models.Model]) -> list[EncryptedJSONField]:
    """The encrypted JSON fields of `model` (form answers, printed fields)."""
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedJSONField)]


EncryptedField = EncryptedCharField | EncryptedJSONField


@dataclass
class RotationReport:
    """What `personal_data_rotate` did: rows rewritten and values that no key could open."""

    rows: int = 0
    values: int = 0
    failures: list[str] = field(default_factory=list)  # "app.Model#pk.field", never the value


def personal_data_rotate(*, batch_size: int = 500) -> RotationReport:
    """Re-encrypt every encrypted value with the first key and recompute the blind indexes.

    Run after putting a new key first in PERSONAL_DATA_KEYS (the old ones still listed), or after
    changing PERSONAL_DATA_INDEX_KEY. Encrypted JSON columns are rotated with the rest. Rows go in
    pk order, `batch_size` per transaction, each batch locked; a row with a value no key opens is
    left as it is and reported.
    """
    report = RotationReport()
    for model in apps.get_models():
        columns: list[EncryptedField] = [*encrypted_fields(model), *encrypted_json_fields(model)]
        if not columns:
            continue
        indexes = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, BlindIndexField) and f.source in {c.name for c in columns}
        ]
        last: Any = None
        while True:
            with transaction.atomic():
                batch = model._default_manager.select_for_update().order_by("pk")
                if last is not None:
                    batch = batch.filter(pk__gt=last)
                pks = list(batch.values_list("pk", flat=True)[:batch_size])
                if not pks:
                    break
                last = pks[-1]
                for pk, tokens in _raw_values(model, columns, pks):
                    if not any(tokens):
                        continue  # nothing encrypted in this row (a staff account without mobile)
                    plain = _open_row(model, pk, columns, tokens, report)
                    if plain is None:
                        continue
                    changes: dict[str, Any] = dict(plain)
                    for index in indexes:
                        changes[index.attname] = index.index_of(plain[index.source])
                    model._default_manager.filter(pk=pk).update(**changes)
                    report.rows += 1
                    report.values += sum(1 for token in tokens if token)
    return report


def _raw_values(
    model: type[models.Model], columns: list[EncryptedField], pks: list[Any]
) -> list[tuple[Any, list[str | None]]]:
    """The stored tokens of `columns` (not decrypted), per pk."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    names = ", ".join(quote(_column_of(column)) for column in columns)
    primary_key = model._meta.pk
    assert primary_key is not None  # every concrete model has one
    table, pk_column = quote(model._meta.db_table), quote(_column_of(primary_key))
    placeholders = ", ".join(["%s"] * len(pks))
    with connection.cursor() as cursor:
        # nosemgrep: tongban-raw-sql-format -- column and table names quoted, values bound
        cursor.execute(
            f"SELECT {pk_column}, {names} FROM {table} WHERE {pk_column} IN ({placeholders})",  # noqa: S608  # nosec B608  # names quoted, values bound
            pks,
        )
        return [(row[0], list(row[1:])) for row in cursor.fetchall()]


def _column_of(model_field: models.Field[Any, Any]) -> str:
    name = model_field.column
    assert name is not None  # set once the field is attached to a concrete model
    return name


def _open_row(
    model: type[models.Model],
    pk: Any,
    columns: list[EncryptedField],
    tokens: list[str | None],
    report: RotationReport,
) -> dict[str, Any] | None:
    """The Python values of one row's tokens (the update re-encrypts them with the first key)."""
    plain: dict[str, Any] = {}
    for column, token in zip(columns, tokens, strict=True):
        try:
            plain[column.name] = (
                column.from_db_value(token, None, connections[router.db_for_write(model)])
                if token
                else token
            )
        except PersonalDataKeyError:
            report.failures.append(f"{model._meta.label}#{pk}.{column.name}")
            return None
    return plain
