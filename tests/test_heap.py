"""A started app keeps its startup heap out of the garbage collector's walks and collects young objects
less often; its shutdown hands everything back (service/heap.py)."""

from __future__ import annotations

import gc
from pathlib import Path

from pydantic import SecretStr

from service import heap
from service.app import create_app
from service.settings import Settings


def test_the_last_release_restores_the_collector() -> None:
    before = gc.get_threshold()
    heap.settle()
    heap.settle()  # a second app in the same process
    assert gc.get_threshold()[0] == heap.GEN0 and gc.get_freeze_count() > 0
    heap.release()
    assert gc.get_threshold()[0] == heap.GEN0 and gc.get_freeze_count() > 0  # the other app still serves
    heap.release()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    heap.release()  # one too many: nothing to restore
    assert gc.get_threshold() == before


async def test_an_app_settles_the_heap_while_it_serves(tmp_path: Path) -> None:
    before = gc.get_threshold()
    app = create_app(Settings(api_keys=SecretStr("k:admin"), store="embedded", data_dir=tmp_path))
    async with app.router.lifespan_context(app):
        assert gc.get_threshold()[0] == heap.GEN0 and gc.get_freeze_count() > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
