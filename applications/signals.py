"""The domain signal applications sends to itself: a trail entry was written (inside the step's
transaction). The 一件事 coordinator listens (applications.receivers), so the trail writer needs
not know about bundles."""

from django.dispatch import Signal

# Sent with application=Application, event=ApplicationEvent, at=datetime.
case_event_recorded = Signal()
