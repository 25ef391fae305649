"""Chinese public identifiers the graph carries: credit codes, resident ID numbers, region codes.

- 统一社会信用代码 (GB 32100-2015): 18 characters = registration department (1), organisation
  type (1), region (6, GB/T 2260), organisation code (9, GB 11714), check character (1).
- 公民身份号码 (GB 11643-1999): region (6), birth date (8), sequence (3, odd for men),
  ISO 7064 MOD 11-2 check (0-9 or X).
- Administrative region codes in the GB/T 2260 style this service nests: district 6 digits,
  street/town 9, community/village 12, grids 3 more digits per grid level.

The `*_error` functions return None for a valid value, else a reason that names the value, so
callers can put the reason straight into a validation error.
"""

from __future__ import annotations

import datetime as dt
from operator import mul as _times

# GB 32100: the 31 characters allowed; I, O, S, V and Z are left out to avoid misreading.
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_CHARSET)}
_CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, ...

# GB 11714 organisation code (positions 9-17 of a credit code): 8 body characters + check.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# GB 11643: weights 2^(17-i) mod 11 and the check character for each remainder.
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7, 9, 10, 5, 8, 4, 2, 1, 6, ...
_ID_CHECK = "10X98765432"

# Full-width ASCII (U+FF01..U+FF5E) maps onto ASCII by a fixed offset; U+3000 is a full-width space.
_FULL_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20


def normalise_code(text: str) -> str:
    """What people paste into a form, made comparable: half-width, no spaces, upper case."""
    return "".join(text.translate(_FULL_WIDTH).split()).upper()


# --- unified social credit code ---------------------------------------------------------------


def credit_check_char(first17: str) -> str:
    """The 18th character for 17 characters already known to be in the charset."""
    total = sum(_CREDIT_VALUE[c] * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def credit_code_error(code: str) -> str | None:
    if len(code) != 18:
        return f"credit code {code!r} has {len(code)} characters, not 18"
    for position, char in enumerate(code, start=1):
        if char not in _CREDIT_VALUE:
            return f"credit code {code!r} has illegal character {char!r} at position {position}"
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        return f"credit code {code!r}: check character should be {expected!r}, not {code[17]!r}"
    return None


def is_credit_code(code: str) -> bool:
    return credit_code_error(code) is None


def organisation_code_check(body8: str) -> str:
    """GB 11714 check character for the 8-character organisation code body (0-9 or X)."""
    total = sum(int(c, 36) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_credit_code(registration_dept: str, org_type: str, region6: str, serial9: str) -> str:
    """Assemble a credit code and compute its check character; ValueError for bad parts."""
    parts = {
        "registration department": (registration_dept, 1),
        "organisation type": (org_type, 1),
        "region": (region6, 6),
        "organisation code": (serial9, 9),
    }
    for what, (value, size) in parts.items():
        if len(value) != size or any(c not in _CREDIT_VALUE for c in value):
            raise ValueError(f"{what} {value!r} must be {size} characters from {CREDIT_CHARSET}")
    if not region6.isdigit():
        raise ValueError(f"region {region6!r} must be 6 digits")
    first17 = registration_dept + org_type + region6 + serial9
    return first17 + credit_check_char(first17)


# --- resident ID number -----------------------------------------------------------------------


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(map(_times, map(int, first17), _ID_WEIGHTS)) % 11]


def _birth_date(yyyymmdd: str) -> dt.date | None:
    try:
        return dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return None


def id_number_error(number: str) -> str | None:
    if len(number) != 18:
        return f"ID number {number!r} has {len(number)} characters, not 18"
    for position, char in enumerate(number[:17], start=1):
        if not char.isascii() or not char.isdigit():
            return f"ID number {number!r} has illegal character {char!r} at position {position}"
    if number[17] not in "0123456789X":
        return f"ID number {number!r} has illegal character {number[17]!r} at position 18"
    if _birth_date(number[6:14]) is None:
        return f"ID number {number!r} has impossible birth date {number[6:14]!r}"
    expected = id_check_char(number[:17])
    if number[17] != expected:
        return f"ID number {number!r}: check character should be {expected!r}, not {number[17]!r}"
    return None


def is_id_number(number: str) -> bool:
    return id_number_error(number) is None


def make_id_number(region6: str, birth_yyyymmdd: str, seq3: str) -> str:
    """Assemble an ID number with its check character; ValueError for bad parts."""
    if len(region6) != 6 or not region6.isdigit():
        raise ValueError(f"region {region6!r} must be 6 digits")
    if len(birth_yyyymmdd) != 8 or not birth_yyyymmdd.isdigit() or not _birth_date(birth_yyyymmdd):
        raise ValueError(f"birth date {birth_yyyymmdd!r} must be a real date as YYYYMMDD")
    if len(seq3) != 3 or not seq3.isdigit():
        raise ValueError(f"sequence {seq3!r} must be 3 digits")
    first17 = region6 + birth_yyyymmdd + seq3
    return first17 + id_check_char(first17)


# --- administrative region codes --------------------------------------------------------------

# Digits per level; grids extend their parent by 3 digits per grid level (15, 18, 21, ...).
REGION_CODE_LENGTHS: dict[str, int] = {
    "PROVINCE": 6,
    "CITY": 6,
    "DISTRICT": 6,
    "STREET": 9,
    "TOWN": 9,
    "COMMUNITY": 12,
    "VILLAGE": 12,
}


def region_code_error(code: str, level: str | None = None) -> str | None:
    """Shape check only (digits and length for the level); it does not look codes up."""
    if not code.isascii() or not code.isdigit():
        return f"region code {code!r} must be digits only"
    if level is None:
        if len(code) < 6 or len(code) % 3:
            return f"region code {code!r} has {len(code)} digits, not 6, 9, 12, 15, ..."
        return None
    if level == "GRID":
        if len(code) < 15 or len(code) % 3:
            return f"grid code {code!r} has {len(code)} digits, not 15, 18, 21, ..."
        return None
    size = REGION_CODE_LENGTHS.get(level)
    if size is None:
        return f"unknown region level {level!r}"
    if len(code) != size:
        return f"{level.lower()} code {code!r} has {len(code)} digits, not {size}"
    if level == "PROVINCE" and not code.endswith("0000"):
        return f"province code {code!r} must end in 0000"
    if level == "CITY" and (not code.endswith("00") or code.endswith("0000")):
        return f"city code {code!r} must end in 00 (but not 0000)"
    if level == "DISTRICT" and code.endswith("00"):
        return f"district code {code!r} must not end in 00"
    return None
