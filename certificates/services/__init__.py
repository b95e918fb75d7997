"""Write use cases of the certificate library, re-exported (STYLE §2)."""

from certificates.services.issuing import (
    Holder,
    build_context,
    certificate_issue,
    certificate_notify_holder,
    certificate_request,
    certificate_store,
    certificates_issue_pending,
    verify_url,
)
from certificates.services.keys import (
    SigningKeyMissingError,
    issuer_key,
    signing_keys_ensure,
    trust_roots,
)
from certificates.services.lifecycle import (
    certificate_retry,
    certificate_revoke,
    certificates_expire,
    certificates_remind_expiring,
    certificates_void_for_source,
)
from certificates.services.sharing import share_link_create, share_link_open, share_link_revoke
from certificates.services.verification import (
    FileCheck,
    PublicCertificate,
    Verification,
    certificate_check_for_use,
    certificate_verify,
    certificate_verify_file,
    file_check,
    public_view,
)

__all__ = [
    "FileCheck", "Holder", "PublicCertificate", "SigningKeyMissingError", "Verification",
    "build_context", "certificate_check_for_use", "certificate_issue", "certificate_notify_holder",
    "certificate_request", "certificate_retry", "certificate_revoke", "certificate_store",
    "certificate_verify", "certificate_verify_file", "certificates_expire", "certificates_issue_pending",
    "certificates_remind_expiring", "certificates_void_for_source", "file_check", "issuer_key", "public_view", "share_link_create",
    "share_link_open", "share_link_revoke", "signing_keys_ensure", "trust_roots", "verify_url",
]  # fmt: skip
