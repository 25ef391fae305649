"""/health while the heaviest request a viewer may send runs, again and again (issue 18).

    .venv/bin/python -m bench.bench_health_under_load [--store embedded|neo4j] [--seconds 20]

In process, through the ASGI transport, over the urumqi-etdz demo: one task sends the heaviest allowed
viewer query (estimated just under the viewer's budget) back to back, each with a new text (a comment in
front, so the response cache never answers it), while /health is asked every 20 ms. A wait counts from
when the poll meant to ask, so a stalled event loop shows whether it held up the sleep or the answer.
Prints the /health waits' p50 / p99 / max, the event loop's own lag meanwhile (a 5 ms sleep's overrun: what
the loop, not the store, adds to any answer) and the heavy requests' count and median time."""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from contextlib import AsyncExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_cost import HEAVIEST_VIEWER, VIEWER, _graphql, demo_app


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main_async(kind: str, seconds: float) -> None:
    async with AsyncExitStack() as stack:
        store, http = await demo_app(stack, kind)
        heavy_times: list[float] = []
        stop = time.perf_counter() + seconds

        async def heavy() -> None:
            run = 0
            while time.perf_counter() < stop:
                run += 1
                started = time.perf_counter()
                response = await http.post("/graphql", content=_graphql(f"#{run}\n{HEAVIEST_VIEWER}"), headers=VIEWER)
                assert "errors" not in response.json(), response.text[:300]
                heavy_times.append(time.perf_counter() - started)

        lags: list[float] = []

        async def loop_lag() -> None:
            while time.perf_counter() < stop:
                meant = time.perf_counter() + 0.005
                await asyncio.sleep(0.005)
                lags.append(time.perf_counter() - meant)

        load = asyncio.ensure_future(heavy())
        lagging = asyncio.ensure_future(loop_lag())
        await asyncio.sleep(0.05)
        waits: list[float] = []
        while not load.done():
            meant = time.perf_counter() + 0.02
            await asyncio.sleep(0.02)
            answer = await http.get("/health")
            assert answer.status_code == 200, answer.text
            waits.append(time.perf_counter() - meant)
        await load
        await lagging
        print(f"store {kind}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"heaviest allowed viewer query: {len(heavy_times)} runs, median {statistics.median(heavy_times):.2f} s")
        print(f"/health asked {len(waits)} times: p50 {percentile(waits, 0.5) * 1000:.0f} ms, p99 "
              f"{percentile(waits, 0.99) * 1000:.0f} ms, max {max(waits) * 1000:.0f} ms")
        print(f"event loop lag meanwhile: p50 {percentile(lags, 0.5) * 1000:.0f} ms, p99 "
              f"{percentile(lags, 0.99) * 1000:.0f} ms, max {max(lags) * 1000:.0f} ms")
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    asyncio.run(main_async(args.store, args.seconds))


if __name__ == "__main__":
    main()
