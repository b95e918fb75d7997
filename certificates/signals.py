"""The one way the certificate library talks up to the apps that asked for certificates (STYLE R8)."""

from django.dispatch import Signal

# Sent inside the issuing transaction with source_ref=<str>, certificate_id=<int>,
# issued_at=<datetime>: the case is
# delivered in the same commit as the certificate, or neither is.
certificate_issued = Signal()
