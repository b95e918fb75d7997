"""证照标识 (DOMAIN §7.3): real identifiers check out, and typing mistakes are caught early."""

import pytest

from certificates.identifiers import Identifier, MalformedIdentifierError, identifier_parse

REAL_IDENTIFIERS = [
    "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
    "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0",
    "1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.9",
]


@pytest.mark.parametrize("text", REAL_IDENTIFIERS)
def test_real_identifiers_parse_and_print_back_unchanged(text: str) -> None:
    identifier = identifier_parse(text)

    assert str(identifier) == text


def test_the_check_character_is_iso_7064_mod_37_36_over_the_four_middle_parts() -> None:
    identifier = Identifier(
        type_code="11100000000013338W011",
        issuer_code="11430000006122244L",
        serial="20230000403",
        version="001",
    )

    assert identifier.check_char == "U"


def test_lower_case_and_spaces_from_a_person_typing_are_accepted() -> None:
    typed = " 1.2.156.3005.2.11100000000013338w011.11430000006122244l.20230000403.001.u "

    assert str(identifier_parse(typed)) == REAL_IDENTIFIERS[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "请输入证照标识。"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.V", "校验位"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.01.U", "格式不正确"),
        ("2.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U", "格式不正确"),
        ("<script>alert(1)</script>", "格式不正确"),
        ("1." * 80, "过长"),
    ],
)
def test_a_malformed_identifier_is_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(MalformedIdentifierError, match=message):
        identifier_parse(text)


def test_one_swapped_digit_in_the_serial_is_caught_by_the_check_character() -> None:
    swapped = REAL_IDENTIFIERS[0].replace("20230000403", "20230000430")

    with pytest.raises(MalformedIdentifierError, match="校验位"):
        identifier_parse(swapped)
