"""The templates' example rows (loaders/examples.py) load next to the urumqi-etdz demo, as a clerk
trying `alliance template KIND` after `make run` would load them: every kind's row, into its own
copy of the demo store, after the rows of the kinds it REQUIRES."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from loaders.cli import write_template
from loaders.engine import load_file
from loaders.examples import EXAMPLES, REQUIRES
from loaders.kinds import KINDS
from service.graph.embedded import EmbeddedStore


def test_every_kind_has_an_example_naming_only_its_columns_and_filling_the_required_ones() -> None:
    assert set(EXAMPLES) == set(KINDS)
    for name, kind in KINDS.items():
        fields = {c.field for c in kind.columns}
        assert set(EXAMPLES[name]) <= fields, (name, set(EXAMPLES[name]) - fields)
        required = {f for f, info in kind.model.model_fields.items() if info.is_required()}
        assert required <= {f for f, v in EXAMPLES[name].items() if v is not None}, name
    assert all(set(first) <= set(KINDS) and kind not in first for kind, first in REQUIRES.items())


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_template_holds_the_headers_and_the_example_row(fmt: str, tmp_path: Path) -> None:
    out = write_template("agreements", fmt, tmp_path / f"agreements.{fmt}")
    if fmt == "xlsx":
        header, row = load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True)
    else:
        header, row = (tuple(line.split(",")) for line in out.read_text(encoding="utf-8-sig").splitlines())
    assert header[:3] == ("协议编号", "协议名称", "协议类型")
    assert row[:3] == ("AGR-650106-900001", "新华二社区党支部与新疆东方数据科技有限公司共建协议", "共建")


@pytest.mark.parametrize("kind", list(KINDS))
async def test_the_example_row_loads_next_to_the_demo(kind: str, demo_data_dir: Path, tmp_path: Path) -> None:
    store = EmbeddedStore(demo_data_dir)
    try:
        for name in (*REQUIRES.get(kind, ()), kind):
            out = write_template(name, "xlsx", tmp_path / f"{name}.template.xlsx")
            report = await load_file(store, name, out)
            assert (report.rows, report.rejected) == (1, 0), (name, [(r.column, r.reason) for r in report.rejects])
        # the row wrote something new: its node, or (a claim, a report, a duty) its relationship
        assert report.created + report.relationships.created >= 1, report.summary()
    finally:
        await store.close()
