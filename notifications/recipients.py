"""Who a notification goes to: an account, or just a mobile or an e-mail address."""

from dataclasses import dataclass

from accounts.models import User
from notifications.choices import Channel, Language


@dataclass(frozen=True)
class Recipient:
    """A person to notify. `email` and `mobile` default to the account's; a person without an
    account (a walk-in applicant) gets e-mail and SMS only, since the inbox belongs to an account."""

    user: User | None = None
    email: str = ""
    mobile: str = ""
    # Blank: the account's preference (User.language), Chinese without an account.
    language: str = ""
    # Only these channels, whatever the template enables (None: every channel it enables). A
    # security notice goes to one outside channel, the one the account had (SEC-AUTH-04).
    channels: frozenset[Channel] | None = None

    def address(self, channel: Channel) -> str:
        """Where a message on `channel` goes: blank if this recipient cannot receive it there."""
        if channel == Channel.EMAIL:
            return self.email or (self.user.email if self.user else "")
        if channel == Channel.SMS:
            return self.mobile or (self.user.mobile if self.user else "")
        return ""

    def can_receive(self, channel: Channel) -> bool:
        if self.channels is not None and channel not in self.channels:
            return False
        if channel == Channel.INBOX:
            return self.user is not None
        return bool(self.address(channel))

    @property
    def message_language(self) -> Language:
        """The recipient's language if messages are written in it, else Chinese."""
        language = self.language or (self.user.language if self.user else "")
        if language in Language.values:
            return Language(language)
        return Language.ZH_HANS
