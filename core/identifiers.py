"""Checks and masks for the identifiers of DOMAIN §8: resident ID numbers, unified social credit
codes (USCC), catalogue codes. Checksums come from python-stdnum, never hand-written."""

import re

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

CATALOG_CODE_RE = re.compile(r"^\d{2}\d{2}[0-9A-Z]{5}(000|00Y|\d{3})$")
EXERCISE_LEVELS = frozenset("1234567")


def normalise_uscc(value: str) -> str:
    """Return the USCC upper-cased and stripped, or raise ValueError with a citizen-readable message."""
    code = (value or "").strip().upper()
    try:
        return str(uscc.validate(code))
    except StdnumError:
        raise ValueError(f"统一社会信用代码“{value}”无效：应为18位，且校验位正确。") from None


def organisation_check_char(body: str) -> str:
    """Check character of an 8-character organisation code body (GB 11714, MOD 11; digits and
    upper-case letters as 0–35). python-stdnum checks it inside a USCC but does not compute it."""
    total = sum(
        int(char, 36) * weight for char, weight in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)
    )
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def compose_uscc(*, registration: str, region: str, organisation: str) -> str:
    """Build a valid USCC from its parts: the 2-character registration authority and kind, the
    6-digit region and the 8-character organisation code body (both check characters computed)."""
    first17 = registration + region + organisation + organisation_check_char(organisation)
    return first17 + str(uscc.calc_check_digit(first17))


def normalise_resident_id(value: str) -> str:
    """Return an 18-character resident ID number, or raise ValueError."""
    number = (value or "").strip().upper()
    if len(number) != 18:
        raise ValueError("公民身份号码应为18位。")
    try:
        return str(ric.validate(number))
    # KeyError: python-stdnum 1.20/2.x fails this way on an area code known only at province
    # level (e.g. 112485…); such a number is invalid, not a server error.
    except (StdnumError, KeyError):
        raise ValueError("公民身份号码无效：出生日期或校验位不正确。") from None


def check_catalog_code(value: str) -> str:
    """Return a valid 12-character 基本编码, or raise ValueError."""
    code = (value or "").strip().upper()
    if not CATALOG_CODE_RE.fullmatch(code):
        raise ValueError(
            f"基本编码“{value}”格式不正确：应为12位（2位区划 + 2位事项类型 + 5位主项 + 3位子项）。"
        )
    return code


def check_implementation_code(value: str) -> tuple[str, str, str]:
    """Split a 31-character 实施编码 into (USCC, exercise level, 基本编码), or raise ValueError."""
    code = (value or "").strip().upper()
    if len(code) != 31:
        raise ValueError(
            f"实施编码“{value}”应为31位（18位统一社会信用代码 + 1位行使层级 + 12位基本编码）。"
        )
    credit, level, catalog = code[:18], code[18], code[19:]
    try:
        normalise_uscc(credit)
    except ValueError:
        raise ValueError(f"实施编码“{value}”的前18位不是有效的统一社会信用代码。") from None
    if level not in EXERCISE_LEVELS:
        raise ValueError(f"实施编码“{value}”第19位应为行使层级代码1–7。")
    try:
        check_catalog_code(catalog)
    except ValueError:
        raise ValueError(f"实施编码“{value}”的后12位不是有效的基本编码。") from None
    return credit, level, catalog


def mask_resident_id(value: str) -> str:
    """110105********002X: first 6 and last 4 characters (DOMAIN §8.5)."""
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_mobile(value: str) -> str:
    """138****1234."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """张* · 张*明 · first and last kept for longer names."""
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
