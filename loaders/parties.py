"""The parties sheet of an agreements workbook: one row per party of an agreement (共驻共建责任书 often have
three or more), beside the agreements on the first sheet.

The sheet is found by its name (参与方, 协议各方, 签约各方, 各方, parties); its header row names the agreement
(协议编号 or 协议名称), the party (单位), and optionally its role (角色, e.g. 丙方) and signatory (签字人). Each
agreement row of the first sheet takes the parties listed for its id (or its title) after those of its own
甲方 / 乙方 … columns; a party sheet row naming no agreement of the first sheet is reported as a rejected row.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loaders.text import clean_code, clean_text, half_width

SHEET_NAMES = ("参与方", "协议各方", "签约各方", "各方", "parties", "agreementparties")
_COLUMNS = {
    "agreement": ("协议编号", "协议", "agreementid", "agreement"),
    "title": ("协议名称", "协议标题", "title"),
    "party": ("单位", "参与单位", "签约单位", "单位名称", "party", "partyid", "unit", "unitid"),
    "role": ("角色", "身份", "甲乙方", "role"),
    "signatory": ("签字人", "代表", "签字代表", "signatory"),
}
HEADER_SCAN_ROWS = 10


def _key(text: str) -> str:
    return re.sub(r"[\s*_\-:：]+", "", half_width(text)).lower()


_FIELD = {_key(h): name for name, headers in _COLUMNS.items() for h in headers}


@dataclass
class Entry:
    row: int
    party: str
    role: str | None
    signatory: str | None


@dataclass
class PartiesSheet:
    """The sheet's entries by agreement id and by title; which were taken by a row of the first sheet."""

    sheet: str = ""
    by_id: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    by_title: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    _used: set[int] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, agreement_id: str, title: str | None) -> list[Entry]:
        """The parties listed for this agreement (called from the row model, in the parse thread)."""
        found = self.by_id.get(agreement_id) or (self.by_title.get(title) if title else None) or []
        with self._lock:
            self._used.update(e.row for e in found)
        return found

    def leftovers(self) -> list[tuple[int, str, str]]:
        unused = sorted({e.row: e for entries in (*self.by_id.values(), *self.by_title.values())
                         for e in entries if e.row not in self._used}.items())
        return sorted(self.problems + [
            (row, f"{self.sheet}!单位", f"sheet {self.sheet!r} row {row}: party {e.party!r} names no agreement "
                                        "of the first sheet (by 协议编号 or 协议名称)") for row, e in unused])


def read_parties(path: Path, fmt: str) -> PartiesSheet | None:
    """The parties sheet of an XLSX workbook, or None when it has none (or the file is not a workbook)."""
    if fmt != "xlsx":
        return None
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # the first sheet's reader reports an unreadable workbook
        return None
    try:
        wanted = {_key(n) for n in SHEET_NAMES}
        sheet = next((ws for ws in wb.worksheets[1:] if _key(ws.title) in wanted), None)
        if sheet is None:
            return None
        return _read(sheet.title, sheet.iter_rows(values_only=True))
    finally:
        wb.close()


def _read(name: str, rows: Any) -> PartiesSheet:
    out = PartiesSheet(sheet=name)
    columns: dict[int, str] | None = None
    for number, cells in enumerate(rows, start=1):
        cells = list(cells)
        if columns is None:
            found = {i: _FIELD[_key(str(c))] for i, c in enumerate(cells) if c is not None and _key(str(c)) in _FIELD}
            if "party" in found.values() and ({"agreement", "title"} & set(found.values())):
                columns = found
            elif number >= HEADER_SCAN_ROWS:
                out.problems.append((number, name, f"sheet {name!r}: no header row naming 协议编号 (or 协议名称) "
                                                   f"and 单位 in its first {HEADER_SCAN_ROWS} rows"))
                return out
            continue
        values = {f: cells[i] for i, f in columns.items() if i < len(cells)}
        if all(clean_text(v) is None for v in values.values()):
            continue
        agreement, title = clean_code(values.get("agreement")), clean_text(values.get("title"))
        party = clean_text(values.get("party"))
        if party is None:
            out.problems.append((number, f"{name}!单位", f"sheet {name!r} row {number}: 单位 required, but empty"))
            continue
        if agreement is None and title is None:
            out.problems.append((number, f"{name}!协议编号",
                                 f"sheet {name!r} row {number}: 协议编号 or 协议名称 required, but empty"))
            continue
        entry = Entry(number, party, clean_text(values.get("role")), clean_text(values.get("signatory")))
        if agreement is not None:
            out.by_id[agreement].append(entry)
        else:
            assert title is not None
            out.by_title[title].append(entry)
    if columns is None:
        out.problems.append((0, name, f"sheet {name!r}: no header row naming 协议编号 (or 协议名称) and 单位"))
    return out
