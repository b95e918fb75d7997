"""The e-seal: a PAdES signature over the rendered PDF, trusted through our root; tampering, a later
incremental update, a foreign root, garbage and unsigned files are each reported, never raised."""

from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from certificates import signing
from certificates.signing import KeyPair, SigningError

NOW = datetime(2025, 3, 18, 9, 30, tzinfo=UTC)
PASSPHRASE = b"test-passphrase"
ORGANISATION = "杭州市西湖区市场监督管理局"
USCC = "11330106002482106K"


@pytest.fixture(scope="module")
def root() -> KeyPair:
    return signing.make_root(
        common_name="通办电子印章根证书（测试）", passphrase=PASSPHRASE, now=NOW
    )


@pytest.fixture(scope="module")
def issuer(root: KeyPair) -> KeyPair:
    # Made at the real time: check_pdf validates at the real clock's time.
    now = datetime.now(UTC)
    return signing.make_issuer(
        root=root, passphrase=PASSPHRASE, organisation=ORGANISATION, uscc=USCC, now=now
    )


@pytest.fixture(scope="module")
def pdf() -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string="<h1>Tongban</h1><p>electronic licence</p>").write_pdf())


@pytest.fixture(scope="module")
def signed(pdf: bytes, issuer: KeyPair, root: KeyPair) -> bytes:
    return sign(pdf, issuer, root)


def sign(pdf: bytes, issuer: KeyPair, root: KeyPair, passphrase: bytes = PASSPHRASE) -> bytes:
    return signing.sign_pdf(
        pdf,
        signer_key=issuer,
        chain=[root.cert_pem],
        passphrase=passphrase,
        reason="电子证照签发",
        location=ORGANISATION,
    )


def test_a_signed_certificate_checks_out(signed: bytes, pdf: bytes, root: KeyPair) -> None:
    check = signing.check_pdf(signed, trust_roots=[root.cert_pem])

    assert signed.startswith(pdf)  # an incremental update: the rendered bytes are untouched
    assert check.ok
    assert (check.has_signature, check.intact, check.valid, check.trusted) == (True,) * 4
    assert check.covers_whole_file
    assert check.signer == ORGANISATION
    assert check.signed_at is not None
    assert abs(check.signed_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert check.summary == "签名有效，文件自签章后未被改动。"


def test_each_file_a_seal_signs_after_its_first_carries_its_own_valid_signature(
    signed: bytes, issuer: KeyPair, root: KeyPair
) -> None:
    # The signer reuses its signed attributes after the first signature, with only the file's
    # digest replaced: every later file must still verify, and no two share a signature.
    from weasyprint import HTML

    others = [
        bytes(HTML(string=f"<h1>Tongban</h1><p>licence {n}</p>").write_pdf()) for n in range(3)
    ]

    signed_others = [sign(other, issuer, root) for other in others]

    checks = [signing.check_pdf(item, trust_roots=[root.cert_pem]) for item in signed_others]
    assert [check.ok for check in checks] == [True, True, True]
    assert {check.signer for check in checks} == {ORGANISATION}
    contents = [item[len(other) :] for item, other in zip(signed_others, others, strict=True)]
    assert len(set(contents)) == 3  # each signature covers its own file
    forged = signed_others[1][: len(others[1])] + contents[0]  # file 2 with file 1's seal
    assert not signing.check_pdf(forged, trust_roots=[root.cert_pem]).ok


def test_a_byte_changed_inside_the_signed_content_breaks_the_seal(
    signed: bytes, pdf: bytes, root: KeyPair
) -> None:
    # A byte inside a content stream of the original document: the file still parses.
    position = pdf.index(b"stream\n", len(pdf) // 2) + len(b"stream\n") + 10
    tampered = bytearray(signed)
    tampered[position] ^= 0x01

    check = signing.check_pdf(bytes(tampered), trust_roots=[root.cert_pem])

    assert check.has_signature
    assert not check.intact
    assert not check.ok
    assert check.summary == "文件在签章后被改动。"


def test_a_signature_from_another_root_is_not_trusted(signed: bytes) -> None:
    other_root = signing.make_root(common_name="他人的根证书", passphrase=PASSPHRASE, now=NOW)

    check = signing.check_pdf(signed, trust_roots=[other_root.cert_pem])

    assert check.intact
    assert check.valid
    assert not check.trusted
    assert not check.ok
    assert check.summary == "签章证书不受信任。"


def test_an_update_appended_after_signing_is_reported(signed: bytes, root: KeyPair) -> None:
    writer = IncrementalPdfFileWriter(BytesIO(signed), strict=False)
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()  # type: ignore[no-untyped-call]
    output = BytesIO()
    writer.write(output)  # type: ignore[no-untyped-call]

    check = signing.check_pdf(output.getvalue(), trust_roots=[root.cert_pem])

    assert check.has_signature
    assert not check.covers_whole_file
    assert not check.ok
    assert check.summary == "文件在签章后被改动。"


@pytest.mark.parametrize(
    ("case", "expected_summary"),
    [
        ("garbage", "文件无法读取，不是有效的 PDF 文件。"),
        ("empty", "文件无法读取，不是有效的 PDF 文件。"),
        ("truncated", "文件无法读取，不是有效的 PDF 文件。"),
        ("unsigned", "文件没有电子签章。"),
    ],
)
def test_files_without_a_readable_signature_are_reported_not_raised(
    case: str, expected_summary: str, signed: bytes, pdf: bytes, root: KeyPair
) -> None:
    data = {
        "garbage": b"\x89PNG\r\n not a pdf at all",
        "empty": b"",
        "truncated": signed[: len(signed) // 2],
        "unsigned": pdf,
    }[case]

    check = signing.check_pdf(data, trust_roots=[root.cert_pem])

    assert not check.has_signature
    assert not check.ok
    assert check.signer == ""
    assert check.summary == expected_summary


def test_the_private_key_is_stored_encrypted(issuer: KeyPair) -> None:
    assert issuer.key_pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    with pytest.raises(TypeError):  # "Password was not given but private key is encrypted"
        serialization.load_pem_private_key(issuer.key_pem, password=None)
    with pytest.raises(ValueError, match="Incorrect password"):
        serialization.load_pem_private_key(issuer.key_pem, password=b"wrong")


def test_a_wrong_passphrase_fails_even_after_the_key_was_cached(
    pdf: bytes, issuer: KeyPair, root: KeyPair
) -> None:
    sign(pdf, issuer, root)  # loads and caches the signer

    with pytest.raises(SigningError):
        sign(pdf, issuer, root, passphrase=b"wrong")


def test_the_issuer_certificate_names_the_department_and_chains_to_the_root(
    issuer: KeyPair, root: KeyPair
) -> None:
    certificate = x509.load_pem_x509_certificate(issuer.cert_pem)
    root_certificate = x509.load_pem_x509_certificate(root.cert_pem)

    subject = certificate.subject
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    root_constraints = root_certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == ORGANISATION
    assert subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == USCC
    assert certificate.issuer == root_certificate.subject
    assert (usage.digital_signature, usage.content_commitment, usage.key_cert_sign) == (
        True,
        True,
        False,
    )
    assert root_constraints.value.ca
    assert certificate.not_valid_after_utc <= root_certificate.not_valid_after_utc
