"""The typed request context: the store (counted), the caller and per-request DataLoaders."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, cast

from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from service.analytics.runs import AnalysisRuns
from service.api.pacing import PacedLoader, Pacer
from service.auth import Caller
from service.errors import Merged, NotFound
from service.graph.port import GraphStore
from service.graph.types import Condition, Node, Op, Query, Related
from service.model import Label, RelType
from service.roles import WRITERS

_SCOPE_BATCH = 1000  # the store's largest page


class CountingStore:
    """Wraps a GraphStore and counts the calls made through it (one call = one statement)."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.calls = 0
        self.names: list[str] = []

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._store, name)
        if not callable(target):
            return target

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            self.names.append(name)
            return await cast(Callable[..., Awaitable[Any]], target)(*args, **kwargs)

        return counted


class Context(BaseContext):
    def __init__(self, store: GraphStore, caller: Caller, runs: AnalysisRuns) -> None:
        super().__init__()
        self.base_store = store  # uncounted: for work that outlives the request (an analysis run)
        self.runs = runs
        self.counter = CountingStore(store)
        self.store = cast(GraphStore, self.counter)
        self.caller = caller
        self.cost_budget: int | None = None  # the operation's budget in estimated rows (None: unlimited)
        self.priced = False  # the router checked the operation's cost by its shape, before parsing
        self._related: dict[tuple[RelType, bool, tuple[str, ...]], DataLoader[str, list[Related]]] = {}
        self._nodes: dict[tuple[str, ...], DataLoader[str, Node | None]] = {}
        self.loaders: dict[str, DataLoader[Any, Any]] = {}  # other per-request loaders, by name (Agreement.history)
        self.pacer = Pacer()  # the resolvers a loader wakes together share the event loop's turns (pacing.py)
        # the nodes whose personal values this answer carries unmasked: audited when it ends (service/api/audit)
        self.personal_reads: set[str] = set()

    def shown_personal(self, node_id: str, personal: bool, value: object) -> None:
        """Note an answer's value of a personal property as it goes out: unmasked only for admin keys."""
        if personal and value is not None and self.caller.sees_personal_data:
            self.personal_reads.add(node_id)

    @property
    def statements(self) -> int:
        return self.counter.calls

    @property
    def region_id(self) -> str | None:
        return self.caller.region_id

    def related(self, type: RelType, outgoing: bool, path: tuple[str, ...] = ()) -> DataLoader[str, list[Related]]:
        """One store call per (type, direction) per field path, whatever the page size.

        Keying by the field path (list indices dropped) makes the count deterministic: every
        parent at one path resolves in the same tick, so its keys form one batch, while loaders
        shared across paths would batch by timing."""
        key = (type, outgoing, path)
        loader = self._related.get(key)
        if loader is None:

            async def load(ids: list[str]) -> list[list[Related]]:
                rows = await self.store.related(ids, type, outgoing)
                if self.region_id is not None:
                    kept = {n.id for n in await self.visible([r.node for r in rows])}
                    rows = [r for r in rows if r.node.id in kept]
                grouped: dict[str, list[Related]] = defaultdict(list)
                for row in rows:
                    grouped[row.source_id].append(row)
                return [sorted(grouped.get(i, []), key=lambda r: r.node.id) for i in ids]

            loader = PacedLoader(self.pacer, load_fn=load)
            self._related[key] = loader
        return loader

    def nodes(self, path: tuple[str, ...] = ()) -> DataLoader[str, Node | None]:
        """Nodes by id, one store call per field path: for ids an earlier answer already carried (a
        listed item's publisher). None for an id that is absent or outside the caller's region."""
        loader = self._nodes.get(path)
        if loader is None:

            async def load(ids: list[str]) -> list[Node | None]:
                found = await self.visible(await self.store.get_nodes(ids))
                by_id = {n.id: n for n in found}
                return [by_id.get(i) for i in ids]

            loader = PacedLoader(self.pacer, load_fn=load)
            self._nodes[path] = loader
        return loader

    async def visible(self, nodes: Sequence[Node]) -> list[Node]:
        """The nodes inside the caller's region scope, decided by the store (one call per label). The import
        history is the importers' and admins' only (service/api/imports)."""
        if self.caller.role not in WRITERS:
            nodes = [n for n in nodes if n.label is not Label.IMPORT]
        # keys are read through apiKeys only, the audit trail through auditLog only
        nodes = [n for n in nodes if n.label is not Label.API_KEY and n.label is not Label.AUDIT_RECORD]
        if self.region_id is None or not nodes:
            return list(nodes)
        by_label: dict[Label, list[str]] = defaultdict(list)
        for node in nodes:
            if node.id not in by_label[node.label]:
                by_label[node.label].append(node.id)
        kept: set[str] = set()
        for label, ids in by_label.items():
            for start in range(0, len(ids), _SCOPE_BATCH):
                chunk = ids[start : start + _SCOPE_BATCH]
                page = await self.store.list_nodes(
                    Query(label, where=(Condition("id", Op.IN, chunk),), region_id=self.region_id, first=len(chunk),
                          include_withdrawn=True)  # a scope check, not a listing
                )
                kept.update(n.id for n in page.items)
        return [n for n in nodes if n.id in kept]

    async def require_not_merged(self, node_id: str) -> None:
        """MERGED, naming the unit kept, for an id mergeUnits removed (when the caller may see that unit)."""
        records = await self.store.list_nodes(Query(Label.UNIT_MERGE, where=(Condition("removed", Op.EQ, node_id),),
                                                    order_by="at", descending=True, first=1))
        if records.items:
            kept = await self.store.get_node(str(records.items[0].props["kept"]))
            if kept is not None and await self.visible([kept]):
                raise Merged(node_id, kept.id)

    async def confirm(self, answered: Sequence[Node], *node_ids: str) -> None:
        """After a read that an unscoped caller asked about `node_ids` without looking them up first (one
        statement fewer): NOT_FOUND (or MERGED) for an id the answer does not hold or the caller may not see,
        as `node` would have raised before the read. A scoped caller's ids were looked up before: nothing to do."""
        if self.region_id is not None:
            return
        seen = {n.id for n in await self.visible([n for n in answered if n.id in node_ids])}
        for node_id in node_ids:
            if node_id not in seen:
                await self.node(node_id)

    async def node(self, node_id: str, label: Label | None = None) -> Node:
        """The node, or NOT_FOUND when it does not exist or lies outside the caller's scope."""
        found = await self.store.get_node(node_id, label)
        if found is None:
            await self.require_not_merged(node_id)
        if found is None or not await self.visible([found]):
            what = label.value if label else "node"
            raise NotFound(f"no {what} with id {node_id!r}" + (" in your region" if self.region_id else ""))
        return found
