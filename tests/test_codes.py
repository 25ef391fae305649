"""Codes checked against published examples and against arithmetic written out by hand."""

from __future__ import annotations

import pytest

from service.codes import (
    credit_code_error,
    id_number_error,
    is_credit_code,
    is_id_number,
    make_credit_code,
    make_id_number,
    normalise_code,
    organisation_code_check,
    region_code_error,
)

# Published codes: GB 32100-2015's own example and large companies' codes on their licences.
REAL_CREDIT_CODES = [
    "91350100M000100Y43",  # the standard's example
    "914403001922038216",
    "9144030071526726XG",
    "911100007109310534",
    "91440300708461136T",
]


@pytest.mark.parametrize("code", REAL_CREDIT_CODES)
def test_real_credit_codes_are_valid(code: str) -> None:
    assert credit_code_error(code) is None
    assert is_credit_code(code)
    # positions 9-17 are a GB 11714 organisation code with its own check character
    assert organisation_code_check(code[8:16]) == code[16]


def test_credit_check_character_worked_by_hand() -> None:
    # 91440111MA5A0B1C2 -> values 9 1 4 4 0 1 1 1 21 10 5 10 0 11 1 12 2 (M=21, A=10, B=11, C=12)
    # weights 3^i mod 31:       1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
    # products: 9 3 36 108 0 26 16 17 420 290 125 130 0 264 10 360 56 -> sum 1870
    # 1870 mod 31 = 10, check = 31 - 10 = 21 -> 'M'
    assert make_credit_code("9", "1", "440111", "MA5A0B1C2") == "91440111MA5A0B1C2M"
    # a sum divisible by 31 gives check value 31, which wraps to '0'
    assert make_credit_code("9", "1", "650106", "MA77QG094") == "91650106MA77QG0940"


def test_credit_code_reasons_name_the_problem() -> None:
    assert credit_code_error("91350100M000100Y4") == ("credit code '91350100M000100Y4' has 17 characters, not 18")
    assert credit_code_error("91350100M0001O0Y43") == (
        "credit code '91350100M0001O0Y43' has illegal character 'O' at position 14"
    )
    assert credit_code_error("91350100m000100Y43") == (
        "credit code '91350100m000100Y43' has illegal character 'm' at position 9"
    )
    assert credit_code_error("91350100M000100Y44") == (
        "credit code '91350100M000100Y44': check character should be '3', not '4'"
    )
    assert not is_credit_code("")


def test_make_credit_code_refuses_bad_parts() -> None:
    with pytest.raises(ValueError, match="region '44011X'"):
        make_credit_code("9", "1", "44011X", "MA5A0B1C2")
    with pytest.raises(ValueError, match="organisation code 'MA5A0B1C'"):
        make_credit_code("9", "1", "440111", "MA5A0B1C")
    with pytest.raises(ValueError, match="registration department 'I'"):
        make_credit_code("I", "1", "440111", "MA5A0B1C2")


def test_organisation_code_check_worked_by_hand() -> None:
    # D2143569: D=13 2 1 4 3 5 6 9, weights 3 7 9 10 5 8 4 2
    # 39 + 14 + 9 + 40 + 15 + 40 + 24 + 18 = 199; 199 mod 11 = 1; 11 - 1 = 10 -> 'X'
    assert organisation_code_check("D2143569") == "X"


def test_normalise_code() -> None:
    assert normalise_code("９１３５ ０１００ｍ０００１００ｙ４３") == "91350100M000100Y43"
    assert normalise_code(" 9135\u30000100m000100y43\n") == "91350100M000100Y43"
    assert normalise_code("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"


REAL_ID_NUMBERS = [
    "11010519491231002X",  # GB 11643's example
    "440524188001010014",  # the older standard text's example
]


@pytest.mark.parametrize("number", REAL_ID_NUMBERS)
def test_published_id_numbers_are_valid(number: str) -> None:
    assert id_number_error(number) is None
    assert is_id_number(number)


def test_id_check_character_worked_by_hand() -> None:
    # 44011119850615123: digits x weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    # 28 36 0 5 8 4 2 9 48 15 0 54 10 25 8 8 6 -> 266; 266 mod 11 = 2 -> "10X98765432"[2] = 'X'
    assert make_id_number("440111", "19850615", "123") == "44011119850615123X"
    # 65010619900101001: 42 45 0 5 0 24 2 9 54 0 0 9 0 5 0 0 2 -> 197; 197 mod 11 = 10 -> '2'
    assert make_id_number("650106", "19900101", "001") == "650106199001010012"


def test_id_number_reasons_name_the_problem() -> None:
    assert id_number_error("11010519491231002") == ("ID number '11010519491231002' has 17 characters, not 18")
    assert id_number_error("1101051949123100XX") == (
        "ID number '1101051949123100XX' has illegal character 'X' at position 17"
    )
    assert id_number_error("11010519491231002x") == (
        "ID number '11010519491231002x' has illegal character 'x' at position 18"
    )
    assert id_number_error("110105194902300021") == (
        "ID number '110105194902300021' has impossible birth date '19490230'"
    )
    assert id_number_error("110105194912310021") == (
        "ID number '110105194912310021': check character should be 'X', not '1'"
    )


def test_make_id_number_refuses_bad_parts() -> None:
    with pytest.raises(ValueError, match="birth date '19850230'"):
        make_id_number("440111", "19850230", "123")
    with pytest.raises(ValueError, match="sequence '12'"):
        make_id_number("440111", "19850615", "12")


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("650000", "PROVINCE"),
        ("440600", "CITY"),
        ("650106", "DISTRICT"),
        ("440111001", "STREET"),
        ("440114101", "TOWN"),
        ("440111001002", "COMMUNITY"),
        ("440114101210", "VILLAGE"),
        ("440604001001001", "GRID"),
        ("440604001001001002003", "GRID"),
        ("440111001", None),
    ],
)
def test_region_codes_valid(code: str, level: str | None) -> None:
    assert region_code_error(code, level) is None


@pytest.mark.parametrize(
    ("code", "level", "reason"),
    [
        ("44011", "DISTRICT", "district code '44011' has 5 digits, not 6"),
        ("440111", "STREET", "street code '440111' has 6 digits, not 9"),
        ("44011100100A", "COMMUNITY", "region code '44011100100A' must be digits only"),
        ("440100", "DISTRICT", "district code '440100' must not end in 00"),
        ("440111", "CITY", "city code '440111' must end in 00 (but not 0000)"),
        ("440111001002", "GRID", "grid code '440111001002' has 12 digits, not 15, 18, 21, ..."),
        ("440111001", "HAMLET", "unknown region level 'HAMLET'"),
        ("4401110012", None, "region code '4401110012' has 10 digits, not 6, 9, 12, 15, ..."),
    ],
)
def test_region_code_reasons(code: str, level: str | None, reason: str) -> None:
    assert region_code_error(code, level) == reason
