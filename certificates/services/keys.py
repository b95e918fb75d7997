"""The issuers' signing keys (the e-seal) and the root that vouches for them. Demo keys are made by
`manage.py make_signing_keys`; production would hold them in an HSM behind `issuer_key`."""

import hashlib
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from certificates import signing
from certificates.models import SigningKey
from core.errors import DomainError
from matters.models import Department

ROOT_NAME = "通办电子印章根证书（演示）"


class SigningKeyMissingError(DomainError):
    """The issuing department has no active signing key."""


def _fingerprint(cert_pem: bytes) -> str:
    return hashlib.sha256(cert_pem).hexdigest()


def trust_roots() -> list[bytes]:
    """Every root certificate a signature may chain to (old roots stay trusted for old files)."""
    return [
        pem.encode()
        for pem in SigningKey.objects.filter(is_root=True)
        .order_by("pk")
        .values_list("certificate_pem", flat=True)
    ]


def issuer_key(department: Department) -> tuple[signing.KeyPair, list[bytes]]:
    """The department's active key pair and the roots for its chain (one query for both).

    :raises SigningKeyMissingError: if the department has no active key.
    """
    rows = (
        SigningKey.objects.filter(
            Q(is_root=True) | Q(department=department, is_active=True, is_root=False)
        )
        .order_by("pk")
        .values_list("is_root", "private_key_pem", "certificate_pem")
    )
    pair: signing.KeyPair | None = None
    roots: list[bytes] = []
    for is_root, key_pem, cert_pem in rows:
        if is_root:
            roots.append(cert_pem.encode())
        elif pair is None:
            pair = signing.KeyPair(key_pem=key_pem.encode(), cert_pem=cert_pem.encode())
    if pair is None:
        raise SigningKeyMissingError(
            _("颁发机构“%(name)s”尚未配置电子印章密钥。") % {"name": department.name}
        )
    return pair, roots


def _store(
    pair: signing.KeyPair, *, subject: str, department: Department | None, now: datetime
) -> SigningKey:
    from cryptography import x509  # only here: parsing the validity dates

    cert = x509.load_pem_x509_certificate(pair.cert_pem)
    return SigningKey.objects.create(
        department=department,
        is_root=department is None,
        subject=subject,
        certificate_pem=pair.cert_pem.decode(),
        private_key_pem=pair.key_pem.decode(),
        fingerprint=_fingerprint(pair.cert_pem),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
    )


@transaction.atomic
def signing_keys_ensure(*, departments: list[Department], now: datetime) -> int:
    """Create the demo root (once) and a key for each department that has none; returns how many
    keys were made."""
    passphrase = settings.SIGNING_KEY_PASSPHRASE.encode()
    made = 0
    root_row = SigningKey.objects.filter(is_root=True, is_active=True).order_by("-pk").first()
    if root_row is None:
        root = signing.make_root(common_name=ROOT_NAME, passphrase=passphrase, now=now)
        root_row = _store(root, subject=ROOT_NAME, department=None, now=now)
        made += 1
    root = signing.KeyPair(
        key_pem=root_row.private_key_pem.encode(), cert_pem=root_row.certificate_pem.encode()
    )
    have = set(
        SigningKey.objects.filter(is_active=True, is_root=False).values_list(
            "department_id", flat=True
        )
    )
    for department in departments:
        if department.pk in have:
            continue
        pair = signing.make_issuer(
            root=root,
            passphrase=passphrase,
            organisation=department.name,
            uscc=department.uscc,
            now=now,
        )
        _store(pair, subject=department.name, department=department, now=now)
        made += 1
    return made
