"""The resolvers a loader wakes together share the event loop's turns (service/api/pacing.py): other
work (a /health poll) runs between their slices, and a paced loader still sends one batch."""

from __future__ import annotations

import asyncio
import time

from service.api.pacing import PacedLoader, Pacer


def _busy(seconds: float) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        pass


async def test_other_work_runs_between_the_slices_of_resolvers_woken_together() -> None:
    pacer = Pacer(0.005)
    order: list[int | str] = []
    woken = asyncio.get_running_loop().create_future()

    async def resolver(i: int) -> None:
        await woken
        await pacer.turn()
        _busy(0.002)  # completing its list
        order.append(i)

    async def poll() -> None:
        for step in range(5):
            await asyncio.sleep(0)
            order.append(f"poll {step}")

    resolvers = [asyncio.ensure_future(resolver(i)) for i in range(40)]
    await asyncio.sleep(0)
    woken.set_result(None)
    await asyncio.gather(*resolvers, poll())
    done = [i for i in order if isinstance(i, int)]
    assert sorted(done) == list(range(40)) and done == sorted(done)  # every one, in the order woken
    last_poll = order.index("poll 4")
    assert last_poll < order.index(39), order  # without pacing the poll waited for all forty (80 ms)
    assert order.index("poll 0") < order.index(10), order


async def test_a_paced_loader_sends_the_keys_of_held_back_resolvers_in_one_batch() -> None:
    pacer, batches = Pacer(0.001), []
    woken = asyncio.get_running_loop().create_future()

    async def load(keys: list[int]) -> list[int]:
        batches.append(keys)
        return [k * 2 for k in keys]

    loader: PacedLoader[int, int] = PacedLoader(pacer, load_fn=load)

    async def resolver(i: int) -> int:
        await woken
        await pacer.turn()
        _busy(0.0005)
        return await loader.load(i)

    resolvers = [asyncio.ensure_future(resolver(i)) for i in range(30)]
    await asyncio.sleep(0)
    woken.set_result(None)
    assert await asyncio.gather(*resolvers) == [i * 2 for i in range(30)]
    assert batches == [list(range(30))]
