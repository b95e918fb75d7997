"""The domain signal accounts sends to the layers above it (STYLE R8): accounts sits below
notifications, so it announces a change and a receiver there writes the notice."""

from django.dispatch import Signal

# How an account signs in changed: its password, its mobile or its second factor (SEC-AUTH-04).
# Sent inside the change's transaction, so the notice written by the receiver commits with it.
# Arguments: user=User, change=SecurityChange, old_mobile=str (the mobile before the change: where
# the notice goes), by_staff=bool (a member of staff made it), key=str (names the change once),
# at=datetime.
account_security_changed = Signal()
