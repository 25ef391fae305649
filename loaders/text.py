"""Cell values as offices type them, made regular: full-width digits, stray spaces, dates in
Excel or text form, numbers, yes/no. Each parser raises ValueError with the reason a clerk reads."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

# Full-width ASCII (U+FF01..U+FF5E) maps onto ASCII by a fixed offset; U+3000 is a full-width space.
_FULL_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20
_SPACES = re.compile(r"[\s\u3000\u00a0\ufeff]+")
_EDGE_SPACES = "\u3000\u00a0\ufeff \t\r\n"


def half_width(text: str) -> str:
    return text.translate(_FULL_WIDTH)


def clean_text(value: Any) -> str | None:
    """A name or title: stray and doubled spaces go, the characters themselves stay (a name is
    matched exactly, and （） in names is how they are registered). Empty → None."""
    if value is None:
        return None
    text = str(value)
    # the common cell needs no regex: printable (no tabs, newlines, U+3000/U+00A0/U+FEFF) and no double space
    if text.isprintable() and "  " not in text:
        return text.strip(" ") or None
    text = _SPACES.sub(" ", text).strip(_EDGE_SPACES)
    return text or None


def clean_code(value: Any) -> str | None:
    """An id, code or number cell: half-width, no spaces at all. Empty → None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet that stored 650106001 as a number
    text = str(value)
    if text.isascii() and text.isprintable() and " " not in text:
        return text or None  # nothing full-width, no spaces: the common cell, without translate or regex
    text = _SPACES.sub("", half_width(text))
    return text or None


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
DATE_HINT = "expected a date like 2021-03-05, 2021/3/5 or 2021年3月5日"


def parse_date(value: Any) -> str | None:
    """An ISO date string from an Excel date, an Excel serial number or text; None when empty."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel serials up to 9999-12-31
            return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
        raise ValueError(f"bad date {value!r}: {DATE_HINT}")
    text = clean_code(value)
    if text is None:
        return None
    iso = _date_text(text)
    if iso is None:
        raise ValueError(f"bad date {clean_text(value)!r}: {DATE_HINT}")
    return iso


@lru_cache(maxsize=8192)  # a file holds few distinct dates: each text is parsed once
def _date_text(text: str) -> str | None:
    text = text.split("T")[0] if re.match(r"^\d{4}-\d{2}-\d{2}T", text) else text
    text = re.sub(r"\d{1,2}:\d{2}(:\d{2})?$", "", text)  # "2021-03-05 00:00:00" with spaces removed
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
            except ValueError:
                return None
    return None


def parse_number(value: Any, what: str = "quantity") -> float | int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{what} {value!r} is not a number")
    if isinstance(value, (int, float)):
        number: float | int = value
    else:
        text = clean_code(value)
        if text is None:
            return None
        text = text.replace(",", "")
        try:
            number = int(text) if (text.isascii() and text.isdigit()) or re.fullmatch(r"[+-]?\d+", text) \
                else float(text)
        except ValueError:
            raise ValueError(f"{what} {clean_text(value)!r} is not a number") from None
    if isinstance(number, float):
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"{what} {value!r} is not a number")
        if number.is_integer():
            number = int(number)
    if number < 0:
        raise ValueError(f"{what} {number} is below zero")
    return number


_TRUE = {"1", "y", "yes", "true", "是", "在职", "√", "t"}
_FALSE = {"0", "n", "no", "false", "否", "不在职", "离退休", "退休", "×", "f"}


def parse_bool(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = clean_code(value)
    if text is None:
        return None
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise ValueError(f"{clean_text(value)!r} is not yes/no (是/否)")
