# ruff: noqa: UP031  (GraphQL braces read better with %-formatting than with doubled braces)
"""The dashboard's 运行分析 action on a demo loaded unanalysed (conghua, as `alliance demo --no-analyze` loads it),
on a service of its own so the package's shared service keeps conghua unanalysed for the "尚未分析" tests: a viewer
sees the action disabled with the reason; an admin clicks it, sees the progress, and the brokers panel fills."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service.demo import generate, load_dataset
from service.graph.embedded import EmbeddedStore
from tests.web.conftest import CONGHUA, Service, loaded, serving, shot, untranslated

BROKERS = "#panel-brokers"
ACTION = f"{BROKERS} button[data-action=run-analysis]"


async def _load_unanalysed(data_dir: Path) -> None:
    store = EmbeddedStore(data_dir)
    try:
        await store.migrate()
        await load_dataset(store, generate("conghua"))  # no analysis, as --no-analyze
    finally:
        await store.close()


@pytest.fixture(scope="module")
def unanalysed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    data_dir = tmp_path_factory.mktemp("web-unanalysed") / "data"
    loaded(data_dir, _load_unanalysed)
    with serving(data_dir) as running:
        yield running


def test_the_run_analysis_action_fills_the_brokers_panel(open_page: Any, unanalysed: Service) -> None:
    assert unanalysed.gql("{ brokers(top: 1) { components } }")["brokers"] == []

    viewer = open_page(f"/dashboard?regionId={CONGHUA}", "viewer", on=unanalysed)
    assert viewer.get_attribute(BROKERS, "data-state") == "not-analysed"
    assert viewer.is_disabled(ACTION)
    assert "运行分析需要分析员或管理员角色" in viewer.inner_text(BROKERS)

    page = open_page(f"/dashboard?regionId={CONGHUA}", on=unanalysed)
    assert page.get_attribute(BROKERS, "data-state") == "not-analysed"
    assert page.inner_text(ACTION) == "运行分析" and page.is_enabled(ACTION)
    # every text the action's status line shows, as it changes
    page.evaluate("""() => {
      window.__runTexts = [];
      new MutationObserver(() => {
        const status = document.querySelector('#panel-brokers .run-status');
        if (status && status.textContent) window.__runTexts.push(status.textContent);
      }).observe(document.getElementById('panel-brokers'), { subtree: true, childList: true, characterData: true });
    }""")
    page.click(ACTION)
    page.wait_for_selector(f"{BROKERS}[data-state=ready] #brokers-table tbody tr", timeout=60_000)
    shown = page.evaluate("window.__runTexts")
    assert any("%" in text and "·" in text for text in shown), shown  # the state, step and share while it ran
    rows = page.locator(f"{BROKERS} #brokers-table tbody tr").count()
    top = unanalysed.gql('{ brokers(regionId: "%s", top: 10) { components } }' % CONGHUA)["brokers"]
    assert rows == len(top) > 0
    box = page.inner_text(BROKERS)
    assert "尚未分析" not in box and "分析时间" in box and f"区域 {CONGHUA}" in box
    assert page.inner_text(ACTION) == "重新分析"  # the panel offers a refresh from now on
    [run] = unanalysed.gql('{ analysisRuns(regionId: "%s") { state progress step } }' % CONGHUA)["analysisRuns"]
    assert run == {"state": "DONE", "progress": 1.0, "step": "done"}
    assert not untranslated(page) and not page.errors
    shot(page, "dashboard-run-analysis")
