"""The header block of an office sheet, and the rows around the data that are not data.

Offices put a title (and notes) above the header, write headers in one or more rows (a group cell
such as 有效期 or 甲方 merged over the sub-headers 生效日期 / 截止日期 or 单位 / 签字人), and close the
table with totals (合计, 总计, 小计), notes (备注：…, 注：…, 填表说明) and signatures (制表人, 审核人).

- `find_header` finds the header block: its first row is the first naming at least `min_known` known
  columns; the rows next to it join the block while they make more columns known (a title above, or the
  first data row below, never does). A column's name is its group and sub-header joined by "/", e.g.
  "有效期/生效日期": loaders.kinds.field_of maps it (the combined form when documented, else the sub-header
  when the group itself names no column).
- `Footers` tells the total, note and signature rows, skipped with a note in the report instead of rejected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from loaders.text import clean_text, half_width

Known = Callable[[str], str | None]
Merge = tuple[int, int, int, int]  # min_row, min_col, max_row, max_col: 1-based, as the sheet numbers them
MAX_LEVELS = 3  # header rows in one block
NOTE_TEXT = 60  # characters of a skipped row kept in the report


@dataclass(frozen=True)
class Skipped:
    row: int
    what: str  # "total", "note" or "signature"
    text: str  # the row's first cell (cut)


@dataclass
class Layout:
    """What the reader found around the data: filled while the file is read."""

    header_rows: list[int] = field(default_factory=list)
    title_rows: list[int] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # the name of each column, by position ("" when unnamed)
    skipped: list[Skipped] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return clean_text(value) or ""


def spread(rows: Sequence[tuple[int, list[Any]]], merges: Sequence[Merge]) -> list[list[Any]]:
    """The rows' cells with each merged area's value (kept by the sheet in its top-left cell) in every cell
    it covers, as the sheet shows it."""
    by_number = {number: i for i, (number, _) in enumerate(rows)}
    out = [list(cells) for _, cells in rows]
    for min_row, min_col, max_row, max_col in merges:
        if min_row not in by_number:
            continue
        top = out[by_number[min_row]]
        value = top[min_col - 1] if min_col - 1 < len(top) else None
        for r in range(min_row, max_row + 1):
            if r not in by_number:
                continue
            cells = out[by_number[r]]
            if len(cells) < max_col:
                cells.extend([None] * (max_col - len(cells)))
            for c in range(min_col - 1, max_col):
                cells[c] = value
    return out


def _names(block: list[list[Any]], known: Known, fill: bool) -> list[str]:
    """The column names of a header block: each column's cells top down, repeats (a cell merged down) once.
    With `fill` (a file without merge information: CSV), a group cell also covers the empty cells to its
    right that have a sub-header of their own, as a merged group would, unless the sub-header alone names a
    column and the combination names none."""
    width = max((len(r) for r in block), default=0)
    grid = [[_text(r[c]) if c < len(r) else "" for c in range(width)] for r in block]
    if fill and len(grid) > 1:
        for level in range(len(grid) - 1):
            group, below = grid[level], grid[level + 1]
            for c in range(1, width):
                if group[c] or not below[c] or not group[c - 1] or not below[c - 1]:
                    continue
                combined = f"{group[c - 1]}/{below[c]}"
                if known(combined) is not None or known(below[c]) is None:
                    group[c] = group[c - 1]
    names = []
    for c in range(width):
        parts: list[str] = []
        for row in grid:
            if row[c] and (not parts or parts[-1] != row[c]):
                parts.append(row[c])
        names.append("/".join(parts))
    return names


def _score(names: list[str], known: Known) -> int:
    return len({known(n) for n in names if n} - {None})


def _is_text_row(cells: list[Any]) -> bool:
    """A header row holds text only: a number or a date makes it data."""
    return any(_text(c) for c in cells) and all(c is None or isinstance(c, str) for c in cells)


def find_header(rows: Sequence[tuple[int, list[Any]]], known: Known, min_known: int,
                merges: Sequence[Merge] | None) -> tuple[int, int, list[str]] | None:
    """(index of the block's first row in `rows`, its row count, the column names), or None when no row names
    `min_known` known columns. `merges` None: no merge information (CSV)."""
    shown = spread(rows, merges or ())
    fill = merges is None or not merges

    def names(start: int, count: int) -> list[str]:
        return _names(shown[start:start + count], known, fill)

    for i in range(len(shown)):
        if _score(names(i, 1), known) < min_known:
            continue
        start, count = i, 1
        best = _score(names(start, count), known)
        while count < MAX_LEVELS:  # sub-header rows below
            below = start + count
            if below >= len(shown) or not _is_text_row(shown[below]):
                break
            score = _score(names(start, count + 1), known)
            # more columns known, or a row the merged cells make part of the header (a sub-header the kind does
            # not know is reported as a column not loaded); a data row under a wide merged cell names nothing
            if score <= best and not (score >= min_known and _merged_into(merges or (), rows[start][0],
                                                                          rows[below][0])):
                break
            count, best = count + 1, max(score, best)
        while count < MAX_LEVELS and start > 0 and _is_text_row(shown[start - 1]):  # a group row above
            score = _score(names(start - 1, count + 1), known)
            if score <= best:
                break
            start, count, best = start - 1, count + 1, score
        numbers = [number for number, _ in rows[start:start + count]]
        header = [n if not _continued(merges or (), numbers, c + 1) else "" for c, n in enumerate(names(start, count))]
        return start, count, _unique(header)
    return None


def _continued(merges: Sequence[Merge], numbers: list[int], column: int) -> bool:
    """Whether a column is the continuation of a merged cell to its left in every header row (a wide column
    drawn as two): it is no column of its own."""
    return bool(merges) and all(any(r0 <= r <= r1 and c0 < column <= c1 for r0, c0, r1, c1 in merges)
                                for r in numbers)


def _merged_into(merges: Sequence[Merge], first: int, row: int) -> bool:
    """Whether the sheet's merged cells make `row` part of the header block starting at `first`: a header cell
    merged down into it, or a group cell merged across columns in the row just above it."""
    return any(min_row >= first and (min_row < row <= max_row or (max_row == row - 1 and max_col > min_col))
               for min_row, min_col, max_row, max_col in merges)


def _unique(names: list[str]) -> list[str]:
    """Two columns with one name keep both: the second as "名称 (2)" (brackets are ignored when mapping)."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n and n in seen:
            seen[n] += 1
            out.append(f"{n} ({seen[n]})")
        else:
            seen[n] = 1
            out.append(n)
    return out


_TOTAL = re.compile(r"(?:合计|总计|小计|共计|总合计)(?:[:：(（].*)?", re.S)
_NOTE = re.compile(r"(?:(?:备注|注|说明)\d*[:：].*|(?:备注|注|说明)|(?:填表说明|填报说明|制表说明).*)", re.S)
_SIGNATURE = re.compile(r"(?:制表人|制表|填表人|填报人|审核人|审核|制表日期|填表日期|填报日期|单位负责人|负责人|联系人)"
                        r"(?:[:：].*)?", re.S)
_FIRST_CHARS = frozenset("合总小共备注说填制审单负联")


class Footers:
    """Tells the rows that close a table: totals, notes and signatures, by their first non-empty cell. After a
    note, a 合计 or a 总计, rows with a single cell are taken as the note's continuation (填表说明's numbered
    points); after a 小计 the table goes on."""

    def __init__(self) -> None:
        self._after_note = False

    def what(self, cells: Sequence[Any]) -> tuple[str, str] | None:
        """("total" | "note" | "signature", the first cell's text) for a footer row, else None. Called for every
        data row: most are told by their first cell's first character."""
        first: Any = None
        for c in cells:
            if c is not None and (not isinstance(c, str) or c.strip()):
                first = c
                break
        if not isinstance(first, str) or (not self._after_note and first.lstrip()[:1] not in _FIRST_CHARS):
            self._after_note = False
            return None
        text = clean_text(first) or ""
        key = re.sub(r"\s+", "", half_width(text))
        what = ("total" if _TOTAL.fullmatch(key) else "note" if _NOTE.fullmatch(key)
                else "signature" if _SIGNATURE.fullmatch(key) else None)
        if what is None and self._after_note and _filled(cells) == 1:
            what = "note"
        if what is None:
            self._after_note = False
            return None
        self._after_note = what != "total" or not key.startswith("小计")
        return what, text if len(text) <= NOTE_TEXT else text[:NOTE_TEXT - 1] + "…"


def _filled(cells: Sequence[Any]) -> int:
    return sum(1 for c in cells if c is not None and (not isinstance(c, str) or c.strip()))
