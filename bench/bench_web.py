"""The explorer and dashboard in headless chromium (issue 7).

    .venv/bin/python -m bench.bench_web [--nodes 10000 --edges 50000 --runs 3] [--explorer-only]
        [--compositing gpu|software|both]

1. Explorer: a 10k-node, 50k-edge view is fetched as JSON by /explore and opened (positions computed once on
   the server by POST /explore/layout); open time is from the fetch to the second frame after the view is
   built, measured in the page. Then the canvas is panned twice: by sigma's animated camera (frame times from
   requestAnimationFrame) and by a real mouse drag through Playwright (intervals between sigma's renders).
   The API's neighbourhood stops at 500 nodes, so the view is a synthetic, deterministic alliance-shaped
   graph handed to the page's loadView (the path a saved or region-wide view takes), drawn by the same
   sigma.js renderer. Both with chromium's compositor on SwiftShader (the tests' flags) and on the CPU.
2. Dashboard: /dashboard for the huadu district on an embedded store holding the huadu demo; first render is
   navigation start to every panel settled (body[data-ready=true]), with the key already in sessionStorage.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
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
from service.graph.embedded import EmbeddedStore
from service.neo4j_local import free_port
from service.settings import Settings, StoreKind

KEY = "bench-web-key"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader"]
# No GPU here: SwiftShader rasterises WebGL on the CPU either way; with GPU compositing it also composites the
# page's layers through Vulkan-on-CPU and reads every frame back, without it Skia composites on the CPU directly.
SOFTWARE_COMPOSITING = ["--disable-gpu-compositing"]


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
    port = free_port()
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
  // pans the camera back and forth with sigma's animated camera (what a drag's inertia and the arrow keys
  // do), four times over 4 s, recording every frame's interval
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

# A real drag (mouse down, moves, up) through Playwright: each move is one CDP input event, acknowledged by the
# page before the next is sent, so a drag is paced by the page's own frames. Frames are counted in the page:
# intervals between requestAnimationFrame callbacks in which sigma drew (a render followed the camera moving).
DRAG_START = """() => {
  const r = window.__explorer.renderer;
  const rec = { intervals: [], renders: 0, moves: 0 };
  let last = null;
  r.on("afterRender", () => {
    const now = performance.now();
    rec.renders += 1;
    if (last !== null) rec.intervals.push(now - last);
    last = now;
  });
  r.getCamera().on("updated", () => { rec.moves += 1; });
  window.__drag = rec;
}"""

OPEN = """async (url) => {
  // the view arrives over the network as JSON, as a saved or region-wide view would
  const started = performance.now();
  const view = await (await fetch(url)).json();
  const fetched = performance.now();
  await window.__explorer.loadView(view.nodes, view.edges);
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return { total: performance.now() - started, fetch: fetched - started, ...window.__explorer.state.timings };
}"""


def _stats(frames: list[float]) -> dict[str, float]:
    frames = sorted(frames)
    if not frames:
        return {"frames": 0}
    return {"frames": len(frames), "p50_ms": round(statistics.median(frames), 1),
            "p95_ms": round(frames[int(0.95 * (len(frames) - 1))], 1), "max_ms": round(frames[-1], 1)}


def bench_explorer(browser: Any, url: str, nodes: int, edges: int) -> dict[str, Any]:
    ns, es = synthetic_view(nodes, edges)
    body = json.dumps({"nodes": ns, "edges": es})
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script(f"sessionStorage.setItem('alliance.apiKey', '{KEY}')")
    page = context.new_page()
    page.route("**/bench-view.json", lambda route: route.fulfill(body=body, content_type="application/json"))
    page.goto(f"{url}/explore")
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    print(f"explorer page open; loading a {nodes}-node, {edges}-edge view ({len(body) / 1e6:.1f} MB of JSON)",
          flush=True)
    started = time.perf_counter()
    opened_ms = page.evaluate(OPEN, f"{url}/bench-view.json")
    page.wait_for_function("window.__explorer.state.busy === 0", timeout=300_000)
    opened = time.perf_counter() - started
    layout_note = page.inner_text("#layout-note")
    print(f"view open in {opened:.1f} s (in the page: {opened_ms}; {layout_note})", flush=True)
    order, size, settings = page.evaluate("""() => { const r = window.__explorer.renderer;
      return [window.__explorer.graph.order, window.__explorer.graph.size,
              ['defaultNodeType', 'defaultEdgeType', 'hideEdgesOnMove'].map((k) => r.getSetting(k))]; }""")
    page.wait_for_timeout(1500)  # let the first full frame (edges and labels) finish
    animated = _stats(page.evaluate(PAN))
    page.wait_for_timeout(1500)
    box = page.locator("#graph").bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.evaluate(DRAG_START)
    page.mouse.move(cx, cy)
    page.mouse.down()
    drag_started = time.perf_counter()
    for i in range(4):
        sign = 1 if i % 2 == 0 else -1
        page.mouse.move(cx + sign * 200, cy + sign * 100, steps=40)
    page.mouse.up()
    drag_s = time.perf_counter() - drag_started
    drag = page.evaluate("window.__drag")
    dragged = {**_stats(drag["intervals"]), "renders": drag["renders"], "camera_updates": drag["moves"],
               "drag_s": round(drag_s, 2), "mouse_moves": 160}
    page.wait_for_timeout(1500)
    stats = page.evaluate("window.__explorer.pixelStats()")
    page.screenshot(path=str(Path("test-artifacts") / "bench-explorer-10k.png"))
    context.close()
    return {
        "nodes": order, "edges": size, "programs": settings, "open_s": round(opened, 2), "open_in_page_ms": opened_ms,
        "pan_animated": animated, "pan_mouse_drag": dragged,
        "painted_share": round(stats["painted"] / stats["total"], 3), "layout": layout_note,
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
    parser.add_argument("--explorer-only", action="store_true", help="skip the dashboard")
    parser.add_argument("--compositing", choices=["gpu", "software", "both"], default="both",
                        help="the explorer's compositor: SwiftShader (the tests' flags) or the CPU")
    args = parser.parse_args()
    Path("test-artifacts").mkdir(exist_ok=True)
    from playwright.sync_api import sync_playwright

    servers = []
    urumqi, s1, t1 = serve("urumqi-etdz")
    servers.append((s1, t1))
    try:
        with sync_playwright() as p:
            configs = {"gpu": ARGS, "software": ARGS + SOFTWARE_COMPOSITING}
            for name in ("gpu", "software") if args.compositing == "both" else (args.compositing,):
                print(f"uptime: {_uptime()}", flush=True)
                browser = p.chromium.launch(executable_path=CHROMIUM, args=configs[name])
                explorer = bench_explorer(browser, urumqi, args.nodes, args.edges)
                print(f"explorer ({name} compositing, {' '.join(configs[name])}): {json.dumps(explorer)}", flush=True)
                browser.close()
            if not args.explorer_only:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                huadu, s2, t2 = serve("huadu")
                servers.append((s2, t2))
                region = httpx.post(f"{huadu}/graphql", headers={"Authorization": f"Bearer {KEY}"}, json={
                    "query": '{ regions(where: {level: {eq: "DISTRICT"}}, first: 1) { nodes { id name } } }'}
                ).json()["data"]["regions"]["nodes"][0]
                dashboard = bench_dashboard(browser, huadu, region["id"], args.runs)
                print(f"dashboard ({region['name']} {region['id']}): {dashboard}")
                browser.close()
            print(f"uptime: {_uptime()}", flush=True)
    finally:
        for server, thread in servers:
            server.should_exit = True
            thread.join(timeout=10)


def _uptime() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
