"""证照标识 (DOMAIN §7.3): `1.2.156.3005.2.<类型代码>.<颁发机构代码>.<流水号>.<版本号>.<校验位>`.

The check character is ISO/IEC 7064 MOD 37,36 over the four middle parts without dots, computed
by python-stdnum."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.iso7064 import mod_37_36

ROOT = "1.2.156.3005.2"
MAX_LENGTH = 100
_PATTERN = re.compile(
    r"^1\.2\.156\.3005\.2\.(?P<type>[0-9A-Z]{6,24})\.(?P<issuer>[0-9A-Z]{6,18})"
    r"\.(?P<serial>[0-9A-Z]{1,40})\.(?P<version>\d{3})\.(?P<check>[0-9A-Z])$"
)


class MalformedIdentifierError(ValueError):
    """The text is not a 证照标识, or its check character is wrong."""


@dataclass(frozen=True)
class Identifier:
    type_code: str
    issuer_code: str
    serial: str
    version: str

    @property
    def check_char(self) -> str:
        body = self.type_code + self.issuer_code + self.serial + self.version
        return str(mod_37_36.calc_check_digit(body))

    def __str__(self) -> str:
        parts = (ROOT, self.type_code, self.issuer_code, self.serial, self.version, self.check_char)
        return ".".join(parts)


def identifier_parse(text: str) -> Identifier:
    """Parse and check an identifier as a person typed or scanned it.

    :raises MalformedIdentifierError: with a sentence the person can act on.
    """
    value = (text or "").strip().upper().replace(" ", "")
    if not value:
        raise MalformedIdentifierError(_("请输入证照标识。"))
    if len(value) > MAX_LENGTH:
        raise MalformedIdentifierError(_("证照标识过长，请核对后重新输入。"))
    match = _PATTERN.fullmatch(value)
    if match is None:
        raise MalformedIdentifierError(
            _(
                "证照标识格式不正确：应以 1.2.156.3005.2 开头，由类型代码、颁发机构代码、流水号、版本号和校验位组成。"
            )
        )
    identifier = Identifier(
        type_code=match["type"],
        issuer_code=match["issuer"],
        serial=match["serial"],
        version=match["version"],
    )
    try:
        mod_37_36.validate(
            identifier.type_code
            + identifier.issuer_code
            + identifier.serial
            + identifier.version
            + match["check"]
        )
    except StdnumError:
        raise MalformedIdentifierError(_("证照标识的校验位不正确，请核对是否输错。")) from None
    return identifier
