"""Streaming readers: CSV (UTF-8 with or without BOM, GB18030), XLSX (read-only) and JSON lines.

Each yields `(row_number, {header: value})` for the data rows, never holding the whole file.
Tabular files may carry a title and notes above the header: the header is the first row in which
enough cells name known columns. Empty rows (trailing or in between) are skipped.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from loaders.errors import FileRejected

Record = tuple[int, dict[str, Any]]
FORMATS = ("csv", "xlsx", "jsonl")
_EXTENSIONS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".jsonl": "jsonl",
               ".ndjson": "jsonl", ".json": "jsonl"}
HEADER_SCAN_ROWS = 30


def format_of(path: Path, given: str | None = None) -> str:
    if given:
        if given not in FORMATS:
            raise FileRejected(f"format {given!r} is not one of {', '.join(FORMATS)}")
        return given
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise FileRejected(f"{path.name}: cannot tell the format from {path.suffix!r}; pass --format csv|xlsx|jsonl")
    return fmt


def detect_encoding(path: Path, chunk: int = 1 << 20) -> str:
    """utf-8-sig when the whole file decodes as UTF-8 (read in chunks), else gb18030."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as f:
        try:
            while block := f.read(chunk):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8-sig"


def _is_empty(cells: Any) -> bool:
    # a plain loop, not all(<genexpr>): called for every row, and most rows stop at their first cell
    for c in cells:  # noqa: SIM110
        if c is not None and (not isinstance(c, str) or c.strip()):
            return False
    return True


def _tabular(rows: Iterator[tuple[int, list[Any]]], known: Callable[[str], str | None], min_known: int,
             name: str) -> Iterator[Record]:
    header: list[str] | None = None
    named: list[tuple[int, str]] = []  # (position, header) of the named columns
    for number, cells in rows:
        if header is None:
            if number > HEADER_SCAN_ROWS:
                break
            texts = ["" if c is None else str(c) for c in cells]
            hits = {known(t) for t in texts if t.strip()} - {None}
            if len(hits) >= min_known:
                header = texts
                named = [(i, h) for i, h in enumerate(header) if h.strip()]
            continue
        if _is_empty(cells):
            continue
        width = len(cells)
        yield number, {h: (cells[i] if i < width else None) for i, h in named}
    if header is None:
        raise FileRejected(f"{name}: no header row found in the first {HEADER_SCAN_ROWS} rows "
                           f"(a row naming at least {min_known} known columns)")


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as f:
        sample = f.read(8192)
        f.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(f, dialect)
        for cells in reader:
            yield reader.line_num, cells


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileRejected(f"{path.name}: not a readable XLSX workbook ({exc})") from exc
    try:
        ws = wb.worksheets[0]
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


def read_records(path: Path, fmt: str, known: Callable[[str], str | None], min_known: int = 2) -> Iterator[Record]:
    """The data rows of one file as `(row_number, {header: value})`."""
    if not path.is_file():
        raise FileRejected(f"{path}: no such file")
    if fmt == "jsonl":
        return _jsonl(path, path.name)
    rows = _xlsx_rows(path) if fmt == "xlsx" else _csv_rows(path)
    return _tabular(rows, known, min_known, path.name)
