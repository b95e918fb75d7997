"""The identifiers of DOMAIN §8: credit codes, resident ID numbers, catalogue codes and their masks."""

import re

import pytest
from stdnum.cn import ric

from core.identifiers import (
    check_catalog_code,
    check_implementation_code,
    mask_mobile,
    mask_name,
    mask_resident_id,
    normalise_resident_id,
    normalise_uscc,
)


def exactly(message: str) -> str:
    """A `match` pattern that accepts only `message` itself."""
    return f"^{re.escape(message)}$"


@pytest.mark.parametrize(
    "code",
    [
        "11100000000013338W",
        "11430000006122244L",
        "11330105002500287C",
        "113700000045046442",
        "11420503087246977F",
        "11100000MB0341032Y",
        "11370800MB28559184",
        "12441500196720244T",
        "91350100M000100Y43",
        "11440300M04561235E",
        "91440300E37284563T",
    ],
)
def test_a_credit_code_from_the_domain_vectors_is_accepted(code: str) -> None:
    assert normalise_uscc(code) == code


def test_a_credit_code_is_upper_cased_and_stripped() -> None:
    assert normalise_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    "code",
    [
        "11100000000013338X",  # check character W changed
        "91350100M000100Y44",  # check character 3 changed
        "12441500196720244",  # 17 characters
        "",
    ],
)
def test_a_credit_code_with_a_wrong_check_character_or_length_is_refused_readably(
    code: str,
) -> None:
    with pytest.raises(
        ValueError, match=exactly(f"统一社会信用代码“{code}”无效：应为18位，且校验位正确。")
    ):
        normalise_uscc(code)


def test_the_standard_example_resident_id_is_accepted() -> None:
    assert normalise_resident_id("11010519491231002X") == "11010519491231002X"


def test_a_resident_id_with_a_lower_case_x_is_stored_upper_case() -> None:
    assert normalise_resident_id(" 11010519491231002x") == "11010519491231002X"


def test_a_resident_id_with_a_wrong_check_digit_is_refused() -> None:
    with pytest.raises(ValueError, match=exactly("公民身份号码无效：出生日期或校验位不正确。")):
        normalise_resident_id("110105194912310021")


def test_a_resident_id_with_an_impossible_birth_date_is_refused() -> None:
    body = "11010519491331002"  # 13th month
    number = body + ric.calc_check_digit(body)

    with pytest.raises(ValueError, match=exactly("公民身份号码无效：出生日期或校验位不正确。")):
        normalise_resident_id(number)


def test_a_legacy_15_digit_resident_id_is_refused() -> None:
    with pytest.raises(ValueError, match=exactly("公民身份号码应为18位。")):
        normalise_resident_id("110105491231002")


@pytest.mark.parametrize("code", ["370117002011", "442199806003", "00012600100Y", "000126001000"])
def test_a_well_formed_catalog_code_is_accepted(code: str) -> None:
    assert check_catalog_code(code) == code


@pytest.mark.parametrize(
    "code",
    [
        "37011700201",  # 11 characters
        "3701170020111",  # 13 characters
        "37011700201A",  # sub-item neither 000, 00Y nor three digits
        "3A0117002011",  # region not digits
    ],
)
def test_a_malformed_catalog_code_is_refused(code: str) -> None:
    message = f"基本编码“{code}”格式不正确：应为12位（2位区划 + 2位事项类型 + 5位主项 + 3位子项）。"

    with pytest.raises(ValueError, match=exactly(message)):
        check_catalog_code(code)


def test_an_implementation_code_splits_into_credit_code_level_and_catalog_code() -> None:
    assert check_implementation_code("11370800MB285591843370117002011") == (
        "11370800MB28559184",
        "3",
        "370117002011",
    )
    assert check_implementation_code("12441500196720244T3442199806003") == (
        "12441500196720244T",
        "3",
        "442199806003",
    )


@pytest.mark.parametrize(
    "code", ["11370800MB28559184337011700201", "11370800MB2855918433701170020111"]
)
def test_an_implementation_code_of_the_wrong_length_is_refused(code: str) -> None:
    message = f"实施编码“{code}”应为31位（18位统一社会信用代码 + 1位行使层级 + 12位基本编码）。"

    with pytest.raises(ValueError, match=exactly(message)):
        check_implementation_code(code)


@pytest.mark.parametrize("level", ["0", "8", "A"])
def test_an_implementation_code_with_a_bad_level_digit_is_refused(level: str) -> None:
    code = f"11370800MB28559184{level}370117002011"

    with pytest.raises(ValueError, match=exactly(f"实施编码“{code}”第19位应为行使层级代码1–7。")):
        check_implementation_code(code)


def test_an_implementation_code_whose_credit_code_fails_its_checksum_is_refused() -> None:
    code = "11370800MB285591853370117002011"  # 18th character 4 → 5

    with pytest.raises(
        ValueError, match=exactly(f"实施编码“{code}”的前18位不是有效的统一社会信用代码。")
    ):
        check_implementation_code(code)


def test_an_implementation_code_whose_catalog_code_is_malformed_is_refused() -> None:
    code = "11370800MB28559184337011700201A"

    with pytest.raises(ValueError, match=exactly(f"实施编码“{code}”的后12位不是有效的基本编码。")):
        check_implementation_code(code)


def test_a_resident_id_is_masked_to_its_first_six_and_last_four_characters() -> None:
    assert mask_resident_id("11010519491231002X") == "110105********002X"


def test_a_mobile_number_is_masked_to_its_first_three_and_last_four_digits() -> None:
    assert mask_mobile("13812341234") == "138****1234"


@pytest.mark.parametrize(
    ("name", "masked"), [("张", "张"), ("张三", "张*"), ("张小明", "张*明"), ("欧阳小明", "欧**明")]
)
def test_a_name_keeps_only_its_first_and_last_characters(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_values_too_short_to_mask_partially_are_masked_entirely() -> None:
    assert (mask_resident_id("12345"), mask_mobile("12345")) == ("*****", "*****")
