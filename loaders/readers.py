"""Streaming readers: CSV (UTF-8 with or without BOM, GB18030, UTF-16 with BOM; comma, tab or semicolon),
XLSX (read-only) and JSON lines.

Each yields `(row_number, {column: value})` for the data rows, never holding the whole file. The row number
is the one a spreadsheet shows: an XLSX sheet's own, a CSV's record (a quoted cell holding a line break is
one row, as Excel and LibreOffice open it). Tabular files may carry a title and notes above the header, a
header of several rows and totals and notes below the data (loaders/headers.py): what was found is in the
records' `layout`. Empty rows (trailing or in between) are skipped.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import IO, Any

from loaders.errors import FileRejected
from loaders.headers import MAX_LEVELS, Footers, Layout, Merge, Skipped, find_header

Record = tuple[int, dict[str, Any]]
FORMATS = ("csv", "xlsx", "jsonl")
_EXTENSIONS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".jsonl": "jsonl",
               ".ndjson": "jsonl", ".json": "jsonl"}
HEADER_SCAN_ROWS = 30
DELIMITERS = (",", "\t", ";")  # in this order when two fit equally well
_SNIFF_CHARS = 1 << 16
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def format_of(path: Path, given: str | None = None) -> str:
    if given:
        if given not in FORMATS:
            raise FileRejected(f"format {given!r} is not one of {', '.join(FORMATS)}")
        return given
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise FileRejected(f"{path.name}: cannot tell the format from {path.suffix!r}; pass --format csv|xlsx|jsonl")
    return fmt


# encodings -------------------------------------------------------------------------------------

def _bytes_at(data: bytes, start: int, end: int | None = None) -> str:
    """The bytes at fault, as a clerk can quote them to whoever made the file."""
    return " ".join(f"0x{b:02x}" for b in data[start:min(max(end or 0, start + 1), start + 4)])


def _first_bad_lines(f: IO[bytes], encoding: str, start: int, chunk: int) -> tuple[int, str] | None:
    """Where `encoding` fails (offset, the bytes there), or None. Blocks end at a line break, which is never
    inside a UTF-8 or GB18030 character, so each block decodes on its own and an error's offset is exact.
    A NUL byte fails too: text files hold none (a UTF-16 file without its byte-order mark does)."""
    f.seek(start)
    offset = start
    while block := f.read(chunk) + f.readline():
        nul = block.find(b"\x00")
        try:
            block.decode(encoding)
        except UnicodeDecodeError as exc:
            if nul < 0 or exc.start < nul:
                return offset + exc.start, _bytes_at(block, exc.start, exc.end)
        if nul >= 0:
            return offset + nul, "NUL"
        offset += len(block)
    return None


def _first_bad_utf16(f: IO[bytes], chunk: int) -> tuple[int, str] | None:
    f.seek(0)
    decoder = codecs.getincrementaldecoder("utf-16")()
    offset = 0
    while True:
        block = f.read(chunk)
        pending = decoder.getstate()[0]
        try:
            decoder.decode(block, final=not block)
        except UnicodeDecodeError as exc:
            data = pending + block
            return offset - len(pending) + exc.start, _bytes_at(data, exc.start, exc.end)
        if not block:
            return None
        offset += len(block)


def detect_encoding(path: Path, chunk: int = 1 << 20) -> str:
    """The file's text encoding, checked over the whole file before a row is read (a file that fails halfway
    would be half loaded): UTF-8 (with or without BOM), GB18030 (which covers GBK and GB2312), or UTF-16 with
    a BOM (Excel's "Unicode text"). Anything else is refused, naming what was found."""
    name = path.name
    with path.open("rb") as f:
        head = f.read(8)
        if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
            raise FileRejected(f"{name}: UTF-32 text (byte-order mark {_bytes_at(head, 0, 4)}) is not read: "
                               "save it as CSV UTF-8 or Unicode text")
        if head.startswith(_XLSX_MAGIC):
            raise FileRejected(f"{name}: an XLSX workbook (zip), not text: name it .xlsx or pass --format xlsx")
        if head.startswith(_XLS_MAGIC):
            raise FileRejected(f"{name}: an Excel 97-2003 workbook (.xls): save it as .xlsx or CSV UTF-8")
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            bad = _first_bad_utf16(f, chunk)
            if bad:
                raise FileRejected(f"{name}: starts with a UTF-16 byte-order mark but is not UTF-16 "
                                   f"(bytes {bad[1]} at offset {bad[0]})")
            return "utf-16"
        bom = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
        utf8 = _first_bad_lines(f, "utf-8", bom, chunk)
        if utf8 is None:
            return "utf-8-sig"
        if bom == 0 and utf8[1] != "NUL":
            gb = _first_bad_lines(f, "gb18030", 0, chunk)
            if gb is None:
                return "gb18030"
            utf8 = gb
    offset, found = utf8
    if found == "NUL":
        raise FileRejected(f"{name}: a NUL byte at offset {offset}: UTF-16 text without a byte-order mark? "
                           "Save it as CSV UTF-8 or Unicode text")
    if bom:
        raise FileRejected(f"{name}: starts with a UTF-8 byte-order mark but is not UTF-8 "
                           f"(bytes {found} at offset {offset})")
    raise FileRejected(f"{name}: not UTF-8, GB18030 or UTF-16 (bytes {found} at offset {offset})")


# rows ------------------------------------------------------------------------------------------

def _is_empty(cells: Any) -> bool:
    # a plain loop, not all(<genexpr>): called for every row, and most rows stop at their first cell
    for c in cells:  # noqa: SIM110
        if c is not None and (not isinstance(c, str) or c.strip()):
            return False
    return True


class Records:
    """The data records of a file, with the layout found around them (filled as the file is read)."""

    def __init__(self, records: Iterator[Record], layout: Layout | None) -> None:
        self._records = records
        self.layout = layout

    def __iter__(self) -> Records:
        return self

    def __next__(self) -> Record:
        return next(self._records)

    def close(self) -> None:
        close = getattr(self._records, "close", None)
        if close is not None:
            close()


def _tabular(rows: Iterator[tuple[int, list[Any]]], known: Callable[[str], str | None], min_known: int,
             name: str, layout: Layout, merges: Callable[[], list[Merge]] | None) -> Iterator[Record]:
    head: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        head.append((number, cells))
        if number >= HEADER_SCAN_ROWS + MAX_LEVELS - 1:
            break
    merged = merges() if merges else None
    found = find_header(head, known, min_known, merged)
    if found is None or head[found[0]][0] > HEADER_SCAN_ROWS:
        raise FileRejected(f"{name}: no header row found in the first {HEADER_SCAN_ROWS} rows "
                           f"(a row naming at least {min_known} known columns)")
    start, count, header = found
    layout.header_rows = [number for number, _ in head[start:start + count]]
    layout.title_rows = [number for number, cells in head[:start] if not _is_empty(cells)]
    layout.columns = header
    named = [(i, h) for i, h in enumerate(header) if h]
    footers = Footers()
    down = _MergedDown(merged or (), layout.header_rows[-1])
    for number, cells in chain(head[start + count:], rows):
        if down:
            cells = down.fill(number, cells)
        if _is_empty(cells):
            continue
        footer = footers.what(cells)
        if footer is not None:
            layout.skipped.append(Skipped(number, *footer))
            continue
        width = len(cells)
        yield number, {h: (cells[i] if i < width else None) for i, h in named}


class _MergedDown:
    """A cell of the data merged down over several rows (one 甲方 for three agreements) holds its value in its
    top row only; the sheet shows it on each, so each row gets it (in the merged area's first column)."""

    def __init__(self, merges: Sequence[Merge], below: int) -> None:
        self._waiting = sorted((m for m in merges if m[0] > below and m[2] > m[0]), reverse=True)
        self._active: list[tuple[int, int, Any]] = []  # (column index, last row, value)

    def __bool__(self) -> bool:
        return bool(self._waiting or self._active)

    def fill(self, number: int, cells: list[Any]) -> list[Any]:
        self._active = [a for a in self._active if a[1] >= number]
        for column, _, value in self._active:
            if column < len(cells):
                if cells[column] is None:
                    cells[column] = value
            elif value is not None:
                cells.extend([None] * (column - len(cells)) + [value])
        while self._waiting and self._waiting[-1][0] <= number:
            min_row, min_col, max_row, _ = self._waiting.pop()
            if min_row == number and min_col - 1 < len(cells) and cells[min_col - 1] is not None:
                self._active.append((min_col - 1, max_row, cells[min_col - 1]))
        return cells


def _sniff(sample: str) -> str:
    """The delimiter that splits the sample's records into the most rows of one width (title rows have one
    cell whatever the delimiter); a file with one column reads the same with any."""
    lines = sample.splitlines(keepends=True)
    if len(sample) >= _SNIFF_CHARS and len(lines) > 1:
        lines = lines[:-1]  # cut short by the sample
    text = "".join(lines)
    best, best_score = DELIMITERS[0], (0, 0)
    for delimiter in DELIMITERS:
        widths: dict[int, int] = {}
        try:
            for record in csv.reader(io.StringIO(text), delimiter=delimiter):
                if len(record) > 1:
                    widths[len(record)] = widths.get(len(record), 0) + 1
        except csv.Error:
            continue
        if not widths:
            continue
        width, rows = max(widths.items(), key=lambda kv: (kv[1], kv[0]))
        if (rows, width) > best_score:
            best, best_score = delimiter, (rows, width)
    return best


_SEP_LINE = re.compile(r"sep=(.)\r?\n?$")


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as f:
        first = f.readline()
        sep = _SEP_LINE.match(first)  # Excel's "sep=;" first line names the delimiter and is not a row
        if not sep:
            f.seek(0)
        sample = f.read(_SNIFF_CHARS)
        f.seek(0)
        if sep:
            f.readline()
        delimiter = sep[1] if sep else _sniff(sample)
        reader = csv.reader(f, delimiter=delimiter)
        # a record is a row of the sheet, whatever line breaks its quoted cells hold
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as exc:
            raise FileRejected(f"{path.name}: not readable as CSV after row {reader.line_num}: {exc}") from exc


def _merges_of(path: Path, worksheet_path: str) -> list[Merge]:
    """The merged areas of a sheet: read from the sheet's XML, where they follow the cells, by a scan for the
    mergeCell elements (openpyxl's read-only mode does not read them)."""
    from openpyxl.utils.cell import range_boundaries

    found: list[Merge] = []
    pattern = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
    with zipfile.ZipFile(path) as archive, archive.open(worksheet_path.lstrip("/")) as xml:
        tail = b""  # an element cut by the end of a block is found whole in the next: `found` drops repeats
        while block := xml.read(1 << 20):
            data = tail + block
            if b"mergeCell" in data:
                for m in pattern.finditer(data):
                    min_col, min_row, max_col, max_row = range_boundaries(m[1].decode())
                    if min_row is not None:
                        assert min_col is not None and max_col is not None and max_row is not None
                        found.append((min_row, min_col, max_row, max_col))
            tail = data[-200:]
    return sorted(set(found))


def _xlsx_rows(path: Path, merges_out: list[Callable[[], list[Merge]]]) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        with path.open("rb") as f:
            if f.read(8) == _XLS_MAGIC:
                raise FileRejected(f"{path.name}: an Excel 97-2003 workbook (.xls): save it as .xlsx") from exc
        raise FileRejected(f"{path.name}: not a readable XLSX workbook ({exc})") from exc
    try:
        ws = wb.worksheets[0]
        worksheet_path = getattr(ws, "_worksheet_path", None)
        if worksheet_path:
            merges_out.append(lambda: _merges_of(path, worksheet_path))
        # the dimension a file declares may be wrong (some writers say A1): read every row there is
        ws.reset_dimensions()
        # rows missing from the file come back empty, so the count is the sheet's own row number
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        wb.close()


def _jsonl(path: Path, name: str) -> Iterator[Record]:
    with path.open(encoding=detect_encoding(path)) as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, {"__error__": f"not valid JSON: {exc.msg} at column {exc.colno}"}
                continue
            if not isinstance(value, dict):
                yield number, {"__error__": f"a JSON object per line is expected, not {type(value).__name__}"}
                continue
            yield number, value


def read_records(path: Path, fmt: str, known: Callable[[str], str | None], min_known: int = 2) -> Records:
    """The data rows of one file as `(row_number, {column: value})`, with the layout found around them."""
    if not path.is_file():
        raise FileRejected(f"{path}: no such file")
    if fmt == "jsonl":
        return Records(_jsonl(path, path.name), None)
    layout = Layout()
    if fmt == "xlsx":
        merges: list[Callable[[], list[Merge]]] = []
        rows = _xlsx_rows(path, merges)
        return Records(_tabular(rows, known, min_known, path.name, layout,
                                lambda: merges[0]() if merges else []), layout)
    return Records(_tabular(_csv_rows(path), known, min_known, path.name, layout, None), layout)
