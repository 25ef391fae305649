"""A loader killed midway (SIGKILL, for real) and run again ends in the state of one clean run."""

from __future__ import annotations

import asyncio
import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from service.graph.embedded import EmbeddedStore
from tests.contract import small_graph

ROOT = Path(__file__).resolve().parents[2]
ROWS = 20_000


def _seed(data: Path) -> None:
    async def build() -> None:
        store = EmbeddedStore(data)
        await store.migrate()
        await small_graph.build(store)
        await store.close()

    asyncio.run(build())


def _load(data: Path, path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ALLIANCE_STORE": "embedded", "ALLIANCE_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "service.cli", "load", "items", str(path), "--batch-size", "500"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _state(data: Path) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str, str, str]]]:
    db = sqlite3.connect(data / "alliance.sqlite3")
    try:
        # the import history and the audit trail differ by design: each run records its own Import
        # (loaders/history.py) and audit records (service/audit.py)
        nodes = db.execute("SELECT id, label, props FROM nodes WHERE label NOT IN ('Import', 'AuditRecord') "
                           "ORDER BY id").fetchall()
        rels = db.execute('SELECT type, start, "end", key, props FROM rels ORDER BY 1, 2, 3, 4').fetchall()
    finally:
        db.close()
    return nodes, rels


def _count_items(data: Path) -> int:
    try:
        db = sqlite3.connect(data / "alliance.sqlite3", timeout=1)
        try:
            return int(db.execute("SELECT count(*) FROM nodes WHERE label = 'ListItem'").fetchone()[0])
        finally:
            db.close()
    except sqlite3.OperationalError:
        return 0


def test_killed_load_rerun_matches_a_clean_run(tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["清单编号", "清单类型", "事项名称", "数量", "发布日期", "发布单位"])
        for i in range(ROWS):
            w.writerow([f"I-{i:06d}", ("需求", "资源", "项目")[i % 3], f"事项{i}", i % 50, "2021/3/5",
                        ("ORG-TAX", "区人民医院党委", small_graph.ENTERPRISE)[i % 3]])
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    _seed(clean)
    _seed(killed)
    assert _load(clean, path).wait(timeout=300) == 0

    proc = _load(killed, path)
    deadline = time.monotonic() + 120
    while _count_items(killed) < 4 + 1000 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    midway = _count_items(killed)
    assert 4 < midway < 4 + ROWS, f"the kill should land midway, found {midway} items"

    assert _load(killed, path).wait(timeout=300) == 0
    assert _state(killed) == _state(clean)
