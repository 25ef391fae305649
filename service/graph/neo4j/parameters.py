"""Statement parameters as the driver is handed them: values whose repr names only their kind and size.

The Neo4j driver formats every RUN's parameters for its debug log before it asks whether debug is on
(`" ".join(map(repr, fields))` in `AsyncBolt5x5.run`, driver 5.x-6.x). For a loader's batch of 10,000 rows that
costs the client as much CPU as packing them (bench/RESULTS.md, issue 16), and a debug log, if anyone turned
it on, would hold every name, phone and address a statement carried. Packstream takes the subclasses as the
list, map and string they are, so what reaches the server is unchanged."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class _Values(list[Any]):
    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} values>"


class _Map(dict[str, Any]):
    __slots__ = ()

    def __repr__(self) -> str:
        return f"<map of {len(self)}>"


class _Text(str):
    __slots__ = ()

    def __repr__(self) -> str:
        return f"<text of {len(self)}>"


def unlogged(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The parameters with each list, map and string wrapped so that its repr is its size alone."""
    out: dict[str, Any] = {}
    for name, value in (params or {}).items():
        kind = type(value)
        out[name] = (_Values(value) if kind is list else _Map(value) if kind is dict
                     else _Text(value) if kind is str else value)
    return out
