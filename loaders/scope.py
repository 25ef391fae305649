"""A region-scoped load (an importer key with a region, over `POST /import/{kind}`): each row may write
only inside the region, by the rule of service/region_scope.py. A row that would write outside is a
rejected row naming the node and its region; the file's other rows load.

Per batch one check: the rows' own nodes already in the store and every node their columns named,
walked to their regions together. A new node must be placed by its row (the column its label's
region path starts with: an organisation's region, a member's organisation), in a node inside or
in one the file itself defines (that row was checked in turn)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from loaders.rows import SELF, Row
from service.graph.port import GraphStore
from service.graph.types import Node
from service.region_scope import LINKED_FROM_ELSEWHERE, outside, placing_step

Problem = tuple[str, str]  # the field at fault (or "" for the row's own node) and the reason


class RowScope:
    def __init__(self, store: GraphStore, scope: str, model: type[Row]) -> None:
        self.store, self.scope, self.label = store, scope, model.LABEL
        self._placing: tuple[str, ...] = ()
        if self.label is not None:
            step = placing_step(self.label)
            self._placing = tuple(
                (link.end if link.start == SELF else link.start) for link in model.LINKS
                if link.type is step.type and (link.start == SELF if step.outgoing else link.end == SELF))
        self._own: dict[str, Node] = {}
        self._outside: dict[str, str] = {}

    async def check(self, rows: Sequence[Row], named: Iterable[Node]) -> None:
        """Read, for one batch, which of its rows' own nodes exist and which nodes lie outside."""
        own = sorted({str(r.__dict__["id"]) for r in rows}) if self.label is not None else []
        self._own = {n.id: n for n in await self.store.get_nodes(own)} if own else {}
        nodes = {n.id: n for n in named if n.label not in LINKED_FROM_ELSEWHERE}
        nodes.update(self._own)
        self._outside = await outside(self.store, self.scope, list(nodes.values()))

    def problem(self, row: Row, from_store: dict[str, list[Node]], placed: Iterable[str]) -> Problem | None:
        """Why the row may not be written (None: it may). `from_store` are the nodes its columns named that
        the store holds, `placed` the fields that name something (in the store or in the file)."""
        if self.label is not None:
            own = self._own.get(str(row.__dict__["id"]))
            if own is not None and own.id in self._outside:
                return "id", self._reason(self._outside[own.id])
            if own is None and self._placing and not set(self._placing) & set(placed):
                return self._placing[0], (f"a new {self.label.value} must be placed inside region {self.scope!r} "
                                          "by this column (the key may write only inside its region)")
            if own is None and not self._placing:
                return "id", f"a region-scoped load cannot create a {self.label.value}"
        for field, nodes in from_store.items():
            for node in nodes:
                if node.label not in LINKED_FROM_ELSEWHERE and node.id in self._outside:
                    return field, self._reason(self._outside[node.id])
        return None

    def _reason(self, why: str) -> str:
        return f"outside the key's region: {why}"

