"""The domain signal the audit log sends to the layers above it (STYLE R8): the audit app sits
below notifications, so it announces an alert and a receiver there tells the auditors."""

from django.dispatch import Signal

# A member of staff read more distinct objects than BULK_ACCESS_LIMIT within the window
# (SEC-DP-06). Sent inside the transaction that wrote the alert's audit row, with staff=str (the
# username), count=int, window_minutes=int, audit_seq=int (the alert's row), at=datetime.
bulk_access_detected = Signal()
