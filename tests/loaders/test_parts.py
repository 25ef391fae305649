"""A file validated by several processes for --bulk (loaders/parts.py) gives the report, the rejects file and the
staged graph of one process, or is left to one process when its parts depend on one another. No store."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from loaders import parts
from loaders.engine import Options, load_file
from loaders.report import FileReport
from loaders.staging import StagingGraph
from tests.loaders.test_loaders import ITEM_HEADER, write_csv

ORGS = [["组织编号", "组织名称", "组织类型", "组织层级", "上级党组织"],
        ["ORG-X1", "红山社区党委", "社区", "党委", ""],
        ["ORG-X3", "区税务局机关党支部", "机关", "党支部", ""]]
# blocks of 3 records dealt to 2 processes: rows 0-2 to the first, 3-5 to the second, 6-8 to the first…
ITEMS = [
    ["I-01", "需求", "停车位", "3", "2021/3/5", "ORG-X1"],
    ["I-02", "资源", "x", "-3", "2021-03-05", "ORG-X1"],  # refused when admitted: a negative quantity
    ["I-03", "资源", "x", "1", "2021-03-05", "ORG-NONE"],  # refused by its batch's flush: unknown publisher
    ["I-04", "资源", "会议室\n两间", "2", "2021年3月6日", "区税务局机关党支部"],  # by name, a line break
    ["I-04", "资源", "again", "2", "2021-03-06", "ORG-X1"],  # a duplicate inside its part
    ["I-05", "项目", "结对共建", "", "2021-03-07", "ORG-X3"],
    ["I-06", "需求", "a", "1", "2021-02-30", "ORG-X1"],  # a bad date
    ["I-07", "需求", "b", "1", "2021-03-08", "ORG-X1"],
    ["I-08", "需求", "c", "1", "2021-03-08", "红山社区"],  # unknown by name
    ["I-09", "资源", "d", "4", "2021-03-09", "ORG-X3"],
    ["I-10", "资源", "e", "5", "2021-03-10", "ORG-X1"],
    ["I-11", "项目", "f", "", "2021-03-11", "ORG-X3"],
    ["I-12", "项目", "g", "", "2021-03-12", "ORG-NONE"],
    ["I-13", "需求", "h", "2", "2021-03-13", "ORG-X1"],
    ["合计", "", "", "13", "", ""],  # a footer, skipped
]


async def _staged(tmp_path: Path, name: str) -> StagingGraph:
    folder = tmp_path / name
    folder.mkdir()
    staging = StagingGraph(folder / "staging.sqlite3")
    await load_file(staging, "organisations", write_csv(folder / "orgs.csv", ORGS))  # type: ignore[arg-type]
    return staging


def _graph(staging: StagingGraph) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    db = staging._db
    return (db.execute("SELECT id, label, name, props FROM nodes ORDER BY id").fetchall(),
            db.execute('SELECT * FROM rels ORDER BY type, start, "end"').fetchall())


def _same(report: FileReport) -> dict[str, object]:
    return {k: v for k, v in dataclasses.asdict(report).items() if k != "seconds"}


async def test_two_processes_report_reject_and_stage_what_one_does(tmp_path: Path) -> None:
    items = write_csv(tmp_path / "items.csv", [ITEM_HEADER, *ITEMS])
    options = Options(batch_size=3)
    one = await _staged(tmp_path, "one")
    two = await _staged(tmp_path, "two")
    try:
        alone = await load_file(one, "items", items, options)  # type: ignore[arg-type]
        rejects = Path(alone.rejects_file or "").read_bytes()
        assert alone.rejected == 6 and alone.created == 8, alone.summary()
        split = await parts.load_in_parts(two, "items", items, options, processes=2)
        assert split is not None, "left to one process"
        assert _same(split) == _same(alone)
        assert Path(split.rejects_file or "").read_bytes() == rejects
        assert _graph(two) == _graph(one)
    finally:
        await one.close()
        await two.close()


async def test_parts_that_share_a_key_are_left_to_one_process(tmp_path: Path) -> None:
    items = write_csv(tmp_path / "items.csv", [ITEM_HEADER, *ITEMS[:5], ["I-01", "资源", "z", "1", "2021-03-05",
                                                                         "ORG-X1"]])  # I-01 again, other part
    staging = await _staged(tmp_path, "two")
    try:
        before = _graph(staging)
        assert await parts.load_in_parts(staging, "items", items, Options(batch_size=3), processes=2) is None
        assert _graph(staging) == before
    finally:
        await staging.close()
