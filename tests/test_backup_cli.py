"""`alliance backup FILE` and `alliance restore FILE` as from a shell (the embedded store; the file and
the refusals are the same for Neo4j, whose side tests/contract/test_backup.py covers): what they print,
the exit codes, the refusals naming the file and the reason."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

import pytest

from service.cli import main
from service.graph.embedded import EmbeddedStore
from tests.contract import small_graph


@pytest.fixture(autouse=True)
def embedded_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("ALLIANCE_") and not name.startswith("ALLIANCE_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ALLIANCE_STORE", "embedded")


async def _build(data_dir: Path) -> None:
    store = EmbeddedStore(data_dir)
    try:
        await store.migrate()
        await small_graph.build(store)
    finally:
        await store.close()


def test_backup_then_restore_into_an_empty_store_and_the_refusals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_build(tmp_path / "live"))
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "live"))
    file = tmp_path / "alliance.backup.gz"
    assert main(["backup", str(file)]) == 0
    out, err = capsys.readouterr()
    assert "using the embedded store in" in err
    assert f"backed up 25 nodes and 38 relationships to {file}" in out and "personal data" in out
    assert stat.S_IMODE(file.stat().st_mode) == 0o600

    assert main(["restore", str(file)]) == 1  # into the store it came from: not empty
    _, err = capsys.readouterr()
    assert f"error [CONFLICT]: {file}: not restored, the embedded store in {tmp_path / 'live'} already holds 25 nodes" \
        in err

    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "new"))
    cut = tmp_path / "cut.gz"
    cut.write_bytes(file.read_bytes()[:-40])
    assert main(["restore", str(cut)]) == 1
    _, err = capsys.readouterr()
    assert f"error [FILE_REJECTED]: {cut}: not restored, the file is truncated" in err
    assert main(["restore", str(file)]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith(f"restored 25 nodes and 38 relationships from {file} (written ")
    assert main(["info"]) == 0
    assert "total                   25" in capsys.readouterr().out
