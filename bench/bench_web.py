"""The explorer and dashboard in headless chromium (issue 7).

    .venv/bin/python -m bench.bench_web [--nodes 10000 --edges 50000 --runs 3]

1. Explorer: a 10k-node, 50k-edge view is opened in /explore (positions computed once on the server by
   POST /explore/layout), then the canvas is panned with the mouse; frame times come from
   requestAnimationFrame while dragging. The API's neighbourhood stops at 500 nodes, so the view is a
   synthetic, deterministic alliance-shaped graph handed to the page's loadView (the path a saved or
   region-wide view takes), drawn by the same sigma.js renderer.
2. Dashboard: /dashboard for the huadu district on an embedded store holding the huadu demo; first render is
   navigation start to every panel settled (body[data-ready=true]), with the key already in sessionStorage.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.app import create_app
from service.demo import generate, load_dataset
from service.graph.embedded_store import EmbeddedStore
from service.settings import Settings, StoreKind

KEY = "bench-web-key"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def _load(data_dir: Path, profile: str) -> None:
    store = EmbeddedStore(data_dir)
    try:
        await store.migrate()
        await load_dataset(store, generate(profile))
    finally:
        await store.close()


def serve(profile: str) -> tuple[str, uvicorn.Server, threading.Thread]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"bench-web-{profile}-")) / "data"
    asyncio.run(_load(data_dir, profile))
    settings = Settings(store=StoreKind.EMBEDDED, data_dir=data_dir, api_keys=SecretStr(f"{KEY}:admin"),
                        environment="bench")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                return url, server, thread
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("service did not start")


def synthetic_view(nodes: int, edges: int, seed: int = 7) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Units clustered (each edge mostly within a few hundred neighbours by index), the shape of a region's
    alliances: streets whose units sign with each other and a few links across."""
    rng = random.Random(seed)
    labels = ["Organisation", "Enterprise", "Agreement", "ListItem"]
    ns = [{"id": f"N{i}", "label": labels[i % 4], "name": f"单位{i}"} for i in range(nodes)]
    seen: set[tuple[int, int]] = set()
    es: list[dict[str, str]] = []
    while len(es) < edges:
        a = rng.randrange(nodes)
        b = rng.randrange(max(0, a - 200), min(nodes, a + 200)) if rng.random() < 0.9 else rng.randrange(nodes)
        if a == b or (a, b) in seen:
            continue
        seen.add((a, b))
        es.append({"type": "PARTY_TO", "start": f"N{a}", "end": f"N{b}"})
    return ns, es


PAN = """async () => {
  // pans the camera back and forth the way a drag does (sigma's animated camera), recording every frame
  const camera = window.__explorer.renderer.getCamera();
  const times = [];
  let last = performance.now();
  let running = true;
  const tick = (t) => { times.push(t - last); last = t; if (running) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  for (const dx of [0.3, -0.3, 0.3, -0.3]) {
    const s = camera.getState();
    await camera.animate({ x: s.x + dx, y: s.y + dx / 3 }, { duration: 1000 });
  }
  running = false;
  return times.slice(2);
}"""


def bench_explorer(browser: Any, url: str, nodes: int, edges: int) -> dict[str, float]:
    ns, es = synthetic_view(nodes, edges)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script(f"sessionStorage.setItem('alliance.apiKey', '{KEY}')")
    page = context.new_page()
    page.goto(f"{url}/explore")
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    print(f"explorer page open; loading a {nodes}-node, {edges}-edge view", flush=True)
    started = time.perf_counter()
    page.evaluate("([n, e]) => { window.__explorer.loadView(n, e); }", [ns, es])
    page.wait_for_function("window.__explorer.state.busy === 0", timeout=300_000)
    opened = time.perf_counter() - started
    layout_note = page.inner_text("#layout-note")
    print(f"view open in {opened:.1f} s ({layout_note})", flush=True)
    order, size = page.evaluate("[window.__explorer.graph.order, window.__explorer.graph.size]")
    frames: list[float] = page.evaluate(PAN)
    stats = page.evaluate("window.__explorer.pixelStats()")
    page.screenshot(path=str(Path("test-artifacts") / "bench-explorer-10k.png"))
    context.close()
    frames.sort()
    return {
        "nodes": order, "edges": size, "open_s": opened, "frames": len(frames),
        "frame_p50_ms": statistics.median(frames), "frame_p95_ms": frames[int(0.95 * (len(frames) - 1))],
        "frame_max_ms": frames[-1], "painted_share": stats["painted"] / stats["total"], "layout": layout_note,
    }


def bench_dashboard(browser: Any, url: str, region: str, runs: int) -> dict[str, Any]:
    totals: list[float] = []
    panels: dict[str, Any] = {}
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.add_init_script(f"sessionStorage.setItem('alliance.apiKey', '{KEY}')")
        page = context.new_page()
        started = time.perf_counter()
        page.goto(f"{url}/dashboard?regionId={region}")
        page.wait_for_selector("body[data-ready=true]", timeout=120_000)
        totals.append(time.perf_counter() - started)
        panels = page.evaluate("window.__dashboard.timings")
        page.screenshot(path=str(Path("test-artifacts") / "bench-dashboard-huadu.png"), full_page=True)
        context.close()
    return {"first_render_s": statistics.median(totals), "all_s": totals, "panels_ms": panels}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--edges", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    Path("test-artifacts").mkdir(exist_ok=True)
    from playwright.sync_api import sync_playwright

    urumqi, s1, t1 = serve("urumqi-etdz")
    huadu, s2, t2 = serve("huadu")
    region = httpx.post(f"{huadu}/graphql", headers={"Authorization": f"Bearer {KEY}"}, json={
        "query": '{ regions(where: {level: {eq: "DISTRICT"}}, first: 1) { nodes { id name } } }'}
    ).json()["data"]["regions"]["nodes"][0]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            explorer = bench_explorer(browser, urumqi, args.nodes, args.edges)
            print(f"explorer: {explorer}")
            dashboard = bench_dashboard(browser, huadu, region["id"], args.runs)
            print(f"dashboard ({region['name']} {region['id']}): {dashboard}")
            browser.close()
    finally:
        for server, thread in ((s1, t1), (s2, t2)):
            server.should_exit = True
            thread.join(timeout=10)


if __name__ == "__main__":
    main()
