"""Password rules of the portal (等保 §9.2 身份鉴别; ASVS 2.1), used through AUTH_PASSWORD_VALIDATORS.

Length is counted in characters, not bytes: a passphrase in Chinese or with emoji counts as a
person would count it, and any Unicode character is accepted.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class PasswordLengthValidator:
    """At least `min_length` (12) and at most `max_length` (128) characters.

    The upper bound keeps hashing cost bounded (a megabyte-long password would make PBKDF2 a
    denial-of-service lever) while leaving room for any passphrase a password manager makes.
    """

    def __init__(self, min_length: int = 12, max_length: int = 128) -> None:
        if not 0 < min_length <= max_length:
            raise ValueError("min_length must be positive and no greater than max_length")
        self.min_length = min_length
        self.max_length = max_length

    def validate(self, password: str, user: object = None) -> None:
        """Raise ValidationError if `password` is too short or too long."""
        if len(password) < self.min_length:
            raise ValidationError(
                ngettext(
                    "密码太短，至少需要%(min_length)d个字符。",
                    "密码太短，至少需要%(min_length)d个字符。",
                    self.min_length,
                ),
                code="password_too_short",
                params={"min_length": self.min_length},
            )
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "密码太长，最多%(max_length)d个字符。",
                    "密码太长，最多%(max_length)d个字符。",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return _(
            "密码长度为%(min_length)d至%(max_length)d个字符，可以使用中文、字母、数字和符号。"
        ) % {
            "min_length": self.min_length,
            "max_length": self.max_length,
        }
