"""The cyclic garbage collector's view of a serving process's heap.

A serving process holds several hundred thousand long-lived objects (the GraphQL schema and its
strawberry and graphql-core types, the registry, the store's driver), and a request allocates tens of
thousands of short-lived containers (a dashboard page: some 360 objects, 1,700 answered fields, their
paths and dicts). With CPython's default thresholds (700, 10, 10) one such request runs dozens of
young collections and, now and then, a full one that walks every long-lived object: on Neo4j, where
nothing else freezes the heap, 30-45% of the dashboard page's CPU (bench/RESULTS.md, session 9).

So once the app has started, `settle` moves every object tracked then out of the collector's sight
(`gc.freeze`), and the young generation is collected every `GEN0` net allocations instead of every 700.
It does not collect first: a full collection took 0.5 s at startup here, and the test suite starts
hundreds of apps; the startup's own cyclic garbage stays frozen with the rest (a one-off, small).
Reference counting still frees a request's garbage the moment it is dropped; only reference cycles
wait longer for the collector (at most `GEN0` containers' worth, a few MB).
`release` (at shutdown) gives the collector everything back, for a process that starts other apps
after this one (the test suite). The embedded store freezes its loaded graph itself (its executor).
"""

from __future__ import annotations

import gc

GEN0 = 50_000  # net container allocations between young collections (CPython's default: 700)

# The collector is one per process, and so is this count of the apps that settled it: with two apps
# started in one process (tests), the heap is handed back, and the thresholds restored, after the last.
_settled: list[tuple[int, int, int]] = []


def settle() -> None:
    """After startup: what is alive now stays out of every later collection; young ones are rarer."""
    _settled.append(gc.get_threshold())
    gc.freeze()
    _, gen1, gen2 = _settled[0]
    gc.set_threshold(GEN0, gen1, gen2)


def release() -> None:
    """At shutdown: the frozen objects are the collector's again, its thresholds as before `settle`."""
    if not _settled:
        return
    before = _settled.pop()
    if not _settled:
        gc.unfreeze()
        gc.set_threshold(*before)
