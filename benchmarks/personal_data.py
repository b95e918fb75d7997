"""Personal data in the bench seeders, stored as the portal stores it (core/crypto.py).

The seeders write rows with COPY, past the model fields, so they must write what
`EncryptedCharField` and `BlindIndexField` would: a Fernet token instead of each ID number and
mobile, and the HMAC blind index next to it. Fernet tokens are random, but any token decrypts to
its value, so `Sealer` encrypts each distinct value once and reuses the token wherever the same
person appears again (a million cases of 100,000 applicants cost 200,000 encryptions, not two
million).

The benchmarks run the production settings, which require PERSONAL_DATA_KEYS and
PERSONAL_DATA_INDEX_KEY (no key derived from SECRET_KEY there). SECRET_KEY is random per run,
while a seeded database is reused across runs, so the bench keys are fixed: `KEYS_ENV` goes into
every benchmark environment. They protect nothing but generated people.

This module is imported before Django is set up (the environments), so core.crypto is imported
where it is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.crypto import IndexKind

# Fixed bench-only keys (a Fernet key: 32 url-safe base64-encoded bytes). Not secrets.
KEYS_ENV: dict[str, str] = {
    "PERSONAL_DATA_KEYS": "YmVuY2gtb25seS1wZXJzb25hbC1kYXRhLWtleS0wMDE=",
    "PERSONAL_DATA_INDEX_KEY": "bench-only-personal-data-index-key",
    # Not personal data, but production settings require it too (the audit anchors' HMAC key).
    "AUDIT_ANCHOR_KEY": "bench-only-audit-anchor-key-0123456789",
}


class Sealer:
    """Tokens and blind indexes for bulk rows, each distinct value encrypted once."""

    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}
        self._plain: dict[str, str] = {}

    def token(self, value: str) -> str:
        """The stored form of `value` ("" stays "", as EncryptedCharField stores it)."""
        if not value:
            return value
        token = self._tokens.get(value)
        if token is None:
            from core.crypto import encrypt

            token = self._tokens[value] = encrypt(value)
            self._plain[token] = value
        return token

    def plain(self, token: str) -> str:
        """The value of a stored token (decrypted once per distinct token)."""
        if not token:
            return token
        value = self._plain.get(token)
        if value is None:
            from core.crypto import decrypt

            value = self._plain[token] = decrypt(token)
        return value

    @staticmethod
    def index(value: str, *, kind: IndexKind) -> str | None:
        """The blind index as BlindIndexField computes it (NULL for an empty value)."""
        from core.crypto import blind_index

        return blind_index(value, kind=kind) if value else None
