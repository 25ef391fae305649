"""What a load did, per file and kind: for people (`summary`) and scripts (`as_dict`, `--json`)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from loaders.headers import Layout, Skipped
from service.graph.types import UpsertResult

MAX_LISTED = 1000  # rejects kept in the report itself; the rejects file has them all


@dataclass(frozen=True)
class Reject:
    file: str
    row: int
    column: str
    reason: str


@dataclass
class SheetReport:
    """What the reader made of a CSV or XLSX sheet around its data: where the header was, the columns it did
    not load (no documented name, loaders/kinds.py), the kind's columns it did not find, and the rows it
    skipped as totals, notes or signatures instead of rejecting them."""

    header_rows: list[int] = field(default_factory=list)
    title_rows: list[int] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    missing_optional: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @classmethod
    def of(cls, layout: Layout, known: Callable[[str], str | None], expected: list[tuple[str, str]],
           required: list[str]) -> SheetReport:
        """`expected`: the kind's (field, header) in order; `required`: the fields that must have a column."""
        found = {known(c) for c in layout.columns if c}
        missing = [(f, f"{header} ({f})") for f, header in expected if f not in found]
        return cls(list(layout.header_rows), list(layout.title_rows),
                   unmapped=[c for c in layout.columns if c and known(c) is None],
                   missing_required=[m for f, m in missing if f in required],
                   missing_optional=[m for f, m in missing if f not in required],
                   skipped=list(layout.skipped))

    def lines(self) -> list[str]:
        out = [f"  header {_rows(self.header_rows)}"
               + (f" (above it, {_rows(self.title_rows)} skipped as title)" if self.title_rows else "")]
        if self.unmapped:
            out.append(f"  columns not loaded (no such column for this kind): {', '.join(self.unmapped)}")
        if self.missing_required:
            out.append(f"  required columns missing: {', '.join(self.missing_required)}")
        if self.missing_optional:
            out.append(f"  columns not in the file: {', '.join(self.missing_optional)}")
        for s in self.skipped[:20]:
            out.append(f"  row {s.row} skipped ({s.what}): {s.text}")
        if len(self.skipped) > 20:
            out.append(f"  … and {len(self.skipped) - 20} more rows skipped")
        return out


def _rows(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"row {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"rows {numbers[0]}–{numbers[-1]}"
    return "rows " + ", ".join(map(str, numbers))


@dataclass
class FileReport:
    kind: str
    file: str
    dry_run: bool = False
    strict: bool = False
    loaded: bool = True  # False when --strict refused the file or --dry-run only validated
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    relationships: UpsertResult = field(default_factory=UpsertResult)
    replaced: int = 0  # old single-valued relationships removed (a changed publisher, parent, party)
    rejects: list[Reject] = field(default_factory=list)
    rejects_file: str | None = None
    seconds: float = 0.0
    sheet: SheetReport | None = None  # None for JSON lines

    def add(self, result: UpsertResult) -> None:
        self.created += result.created
        self.updated += result.updated
        self.unchanged += result.unchanged

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["written"] = self.loaded  # False: a dry run or a file --strict refused; the counts are what it would do
        out["relationships"] = asdict(self.relationships)
        out["seconds"] = round(self.seconds, 3)
        return out

    def summary(self) -> str:
        verb = "checked (dry run)" if self.dry_run else ("refused (--strict)" if not self.loaded else "loaded")
        rels = self.relationships
        # a dry run or a refused file wrote nothing: its counts are what a load would have done, and say so
        would = "" if self.loaded else "would have "
        lines = [
            f"{self.file}: {self.kind} {verb} — {self.rows} rows in {self.seconds:.1f} s",
            *([] if self.loaded else [
                "  nothing was written: a dry run only checks the file" if self.dry_run else
                f"  nothing was written: --strict loads a file only when no row is rejected ({self.rejected} were)"]),
            f"  {would}created {self.created}, {would}updated {self.updated}, unchanged {self.unchanged}, "
            f"rejected {self.rejected}"
            + (f"; relationships {would}created {rels.created}, {would}updated {rels.updated}, "
               f"unchanged {rels.unchanged}" if rels.created + rels.updated + rels.unchanged else "")
            + (f", replaced {self.replaced}" if self.replaced else ""),
        ]
        if self.sheet:
            lines.extend(self.sheet.lines())
        for r in self.rejects[:20]:
            lines.append(f"  row {r.row} [{r.column}]: {r.reason}")
        if self.rejected > 20:
            lines.append(f"  … and {self.rejected - 20} more")
        if self.rejects_file:
            lines.append(f"  rejected rows written to {self.rejects_file} (fix them and load that file)")
        return "\n".join(lines)


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class RejectsFile:
    """`<name>.rejects.csv` beside the input: the rejected rows as read, plus a reason column.
    UTF-8 with BOM so Excel opens it; opened only when there is something to write."""

    REASON = "错误原因 (reason)"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None
        self._writer: Any = None
        self._columns: list[str] = []

    def write(self, columns: list[str], values: dict[str, Any], reason: str) -> None:
        if self._file is None:
            self._columns = columns
            self._file = self.path.open("w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._file)
            self._writer.writerow([*columns, self.REASON])
        self._writer.writerow([_cell(values.get(c)) for c in self._columns] + [reason])

    def close(self) -> bool:
        """True when a file was written."""
        if self._file is None:
            return False
        self._file.close()
        return True
