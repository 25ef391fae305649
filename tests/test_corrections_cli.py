"""`alliance withdraw | merge-units | history` on the embedded store the settings name: the same store calls
as the mutations, recorded as by `cli`; a refusal is one error line with its code and exit status 1."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from service.cli import main
from service.graph.embedded import EmbeddedStore
from service.graph.types import RelGroup, RelRow
from service.model import Label, RelType
from tests.contract import small_graph


async def _build(data_dir: Path) -> None:
    store = EmbeddedStore(data_dir)
    try:
        await store.migrate()
        await small_graph.build(store)
        await store.upsert_batch([(Label.AGREEMENT, [{"id": "AGR-1", "status": "TERMINATED"}])], [
            RelGroup(RelType.PARTY_TO, Label.ORGANISATION, Label.AGREEMENT,
                     [RelRow("ORG-HOSP", "AGR-1", {"role": "乙方", "signatory": "孙院长"})])])
    finally:
        await store.close()


def test_withdraw_merge_and_history_from_the_command_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    asyncio.run(_build(data))
    monkeypatch.setenv("ALLIANCE_STORE", "embedded")
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(data))

    assert main(["history", "AGR-1"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert "by cli" in line and "status ACTIVE → TERMINATED" in line and "乙方: ORG-TAX" in line
    assert "changed: signatory:乙方" in line and "孙院长" not in line  # which signatory changed, not the name

    assert main(["withdraw", "ITEM-P1", "--reason", "重复录入"]) == 0
    assert "withdrew ListItem ITEM-P1" in capsys.readouterr().out
    assert main(["withdraw", "ITEM-P1", "--reason", "again"]) == 1
    assert "error [ALREADY_WITHDRAWN]" in capsys.readouterr().err

    assert main(["merge-units", "ORG-A1", "ORG-A2"]) == 0
    assert "merged Organisation ORG-A2 into ORG-A1" in capsys.readouterr().out
    assert main(["merge-units", "ORG-A1", "ORG-A2"]) == 1
    assert "error [NOT_FOUND]" in capsys.readouterr().err
    assert main(["history", "AGR-NOPE"]) == 1
