"""The embedded default store: a facade over per-aggregate operation modules that read and write
through one EmbeddedExecutor (a SQLite file for durability, a networkx graph in memory for reads).
The operations are synchronous (they hold the executor's lock and never wait on I/O but SQLite's);
the facade runs each in a worker thread (`_call`) behind the port's async signatures."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from service.audit import AuditQuery
from service.errors import AllianceError
from service.graph.aggregate_types import ItemTotals, LinkQuery, LinkTotals
from service.graph.embedded import (
    aggregates,
    analytics,
    audit_records,
    backup,
    batches,
    corrections,
    grids,
    health,
    listings,
    maintenance,
    meetings,
    nodes,
    regions,
    relationships,
    reporting,
    search,
    traversal,
    wishes,
)
from service.graph.embedded import claims as claiming  # the port names claim_items' argument `claims`
from service.graph.embedded.executor import EmbeddedExecutor
from service.graph.port import GraphStore
from service.graph.types import (
    BatchResult,
    Claim,
    Count,
    CoverageFacts,
    Edge,
    Item,
    ItemQuery,
    Node,
    Page,
    Pairing,
    Query,
    Related,
    RelGroup,
    RelRow,
    Subgraph,
    UnitTies,
    UpsertResult,
)
from service.graph.workflow_types import (
    HealthFacts,
    MatterChange,
    MeetingChange,
    MeetingFacts,
    MeetingRecord,
    ReportChange,
    WishChange,
    WishFacts,
)
from service.model import Label, RelType, Supply
from service.workflows.grids import GridFact
from service.workflows.reporting import ReportFact

__all__ = ["EmbeddedStore"]

T = TypeVar("T")


class EmbeddedStore:
    def __init__(self, data_dir: Path, max_nodes: int | None = None) -> None:
        """A store over `data_dir`/alliance.sqlite3; it refuses to load a graph of more than
        `max_nodes` nodes or more than the machine's memory can hold (capacity.py)."""
        self._ex = EmbeddedExecutor(Path(data_dir) / "alliance.sqlite3", max_nodes)

    async def _call(self, work: Callable[..., T], *args: Any) -> T:
        """`work(*args)` in a worker thread: the store's CPU work (a page of a big walk can take a
        second) must not hold the event loop, so /health and other requests answer meanwhile. The
        thread carries the request's deadline (service/graph/deadline.py), which the reads check."""
        return await asyncio.to_thread(work, *args)

    @property
    def path(self) -> Path:
        """The SQLite file."""
        return self._ex.path

    # lifecycle ------------------------------------------------------------------------------
    async def ping(self) -> None:
        # /health asks it: inline when the ping's own connection is free and the file not busy
        if not self._ex.ping_if_quick():
            await self._call(self._ex.ping)

    async def version(self) -> str:
        # every cached answer asks it: inline when that is quick (a thread hop doubled a cached answer's time)
        quick = self._ex.version_if_quick()
        return quick if quick is not None else await self._call(self._ex.version)

    async def migrate(self) -> list[str]:
        return await self._call(maintenance.migrate, self._ex)

    async def close(self) -> None:
        self._ex.close()

    async def clear(self) -> None:
        await self._call(maintenance.clear, self._ex)

    # the audit trail ---------------------------------------------------------------------------
    async def append_audit(self, row: Mapping[str, Any]) -> None:
        await self._call(audit_records.append, self._ex, row)

    async def audit_log(self, query: AuditQuery) -> Page[Node]:
        return await self._call(audit_records.audit_log, self._ex, query)

    async def prune_audit(self, before: str) -> int:
        return await self._call(audit_records.prune, self._ex, before)

    # writes ---------------------------------------------------------------------------------
    async def upsert_nodes(self, label: Label, rows: Sequence[Mapping[str, Any]]) -> UpsertResult:
        if label == Label.AGREEMENT:  # as a batch: a changed agreement leaves a version (service/graph/versions.py)
            return (await self.upsert_batch([(label, rows)], [])).nodes[0]
        return await self._call(nodes.upsert_nodes, self._ex, label, rows)

    async def upsert_relationships(
        self, type: RelType, start: Label, end: Label, rows: Sequence[RelRow]
    ) -> UpsertResult:
        if type == RelType.PARTY_TO:  # as a batch: changed parties leave a version of the agreement
            return (await self.upsert_batch([], [RelGroup(type, start, end, rows)])).relationships[0]
        return await self._call(relationships.upsert_relationships, self._ex, type, start, end, rows)

    async def upsert_batch(
        self, nodes: Sequence[tuple[Label, Sequence[Mapping[str, Any]]]], relationships: Sequence[RelGroup]
    ) -> BatchResult:
        return await self._call(batches.upsert_batch, self._ex, nodes, relationships)

    async def claim_item(self, item_id: str, claimant_id: str, quantity: float, on: str, claim_id: str) -> Claim:
        return await self._call(claiming.claim_item, self._ex, item_id, claimant_id, quantity, on, claim_id)

    async def claim_items(self, claims: Sequence[Mapping[str, Any]]) -> list[Claim | AllianceError]:
        return await self._call(claiming.claim_items, self._ex, claims)

    async def release_claim(self, claim_id: str) -> Claim:
        return await self._call(claiming.release_claim, self._ex, claim_id)

    # corrections ----------------------------------------------------------------------------
    async def withdraw(self, id: str, reason: str, at: str) -> Node:
        return await self._call(corrections.withdraw, self._ex, id, reason, at)

    async def merge_units(self, keep: str, remove: str, at: str) -> Node:
        return await self._call(corrections.merge_units, self._ex, keep, remove, at)

    # reads ----------------------------------------------------------------------------------
    async def get_node(self, id: str, label: Label | None = None) -> Node | None:
        return await self._call(nodes.get_node, self._ex, id, label)

    async def get_nodes(self, ids: Sequence[str]) -> list[Node]:
        return await self._call(nodes.get_nodes, self._ex, ids)

    async def find_by_names(self, label: Label, names: Sequence[str]) -> list[Node]:
        return await self._call(nodes.find_by_names, self._ex, label, names)

    async def list_nodes(self, query: Query) -> Page[Node]:
        return await self._call(listings.list_nodes, self._ex, query)

    async def related(self, ids: Sequence[str], type: RelType, outgoing: bool) -> list[Related]:
        return await self._call(relationships.related, self._ex, ids, type, outgoing)

    async def search(
        self, text: str, first: int, labels: Sequence[Label] = (), region_id: str | None = None,
        include_withdrawn: bool = False,
    ) -> list[Node]:
        return await self._call(search.search, self._ex, text, first, labels, region_id, include_withdrawn)

    async def neighbourhood(self, id: str, depth: int, limit: int, region_id: str | None = None) -> Subgraph:
        return await self._call(traversal.neighbourhood, self._ex, id, depth, limit, region_id)

    async def shortest_path(
        self, source: str, target: str, max_depth: int = 8, region_id: str | None = None
    ) -> Subgraph | None:
        return await self._call(traversal.shortest_path, self._ex, source, target, max_depth, region_id)

    async def paired_units(self, organisation_id: str, region_id: str | None = None) -> list[Pairing]:
        return await self._call(traversal.paired_units, self._ex, organisation_id, region_id)

    async def list_items(self, query: ItemQuery) -> Page[Item]:
        return await self._call(listings.list_items, self._ex, query)

    async def item_totals(self, query: ItemQuery) -> ItemTotals:
        return await self._call(aggregates.item_totals, self._ex, query)

    async def link_totals(self, query: LinkQuery) -> LinkTotals:
        return await self._call(aggregates.link_totals, self._ex, query)

    async def region_stats(self, region_id: str) -> list[Count]:
        return await self._call(regions.region_stats, self._ex, region_id)

    async def count_by_label(self) -> dict[Label, int]:
        return await self._call(nodes.count_by_label, self._ex)

    async def analytics_network(self, region_id: str | None = None, alliance_id: str | None = None) -> list[UnitTies]:
        return await self._call(analytics.analytics_network, self._ex, region_id, alliance_id)

    async def analytics_gaps(self, region_id: str | None, published_before: str) -> CoverageFacts:
        return await self._call(analytics.analytics_gaps, self._ex, region_id, published_before)

    # micro-wishes ---------------------------------------------------------------------------
    async def publish_wish(self, row: Mapping[str, Any], region_id: str) -> WishChange:
        return await self._call(wishes.publish_wish, self._ex, row, region_id)

    async def dispatch_wish(self, wish_id: str, organisation_id: str, on: str) -> WishChange:
        return await self._call(wishes.dispatch_wish, self._ex, wish_id, organisation_id, on)

    async def accept_wish(self, wish_id: str, acceptor_id: str, on: str) -> WishChange:
        return await self._call(wishes.accept_wish, self._ex, wish_id, acceptor_id, on)

    async def fulfil_wish(
        self, wish_id: str, on: str, contributor_ids: Sequence[str] = (),
        warehouse_id: str | None = None, supply: Supply | None = None,
    ) -> WishChange:
        return await self._call(wishes.fulfil_wish, self._ex, wish_id, on, contributor_ids, warehouse_id, supply)

    async def rate_wish(self, wish_id: str, rating: int, comment: str | None, on: str) -> WishChange:
        return await self._call(wishes.rate_wish, self._ex, wish_id, rating, comment, on)

    async def cancel_wish(self, wish_id: str, on: str, reason: str | None) -> WishChange:
        return await self._call(wishes.cancel_wish, self._ex, wish_id, on, reason)

    async def wish_facts(self, region_id: str | None, since: str | None, until: str | None) -> WishFacts:
        return await self._call(wishes.wish_facts, self._ex, region_id, since, until)

    # joint meetings and matters -------------------------------------------------------------
    async def record_meeting(self, record: MeetingRecord) -> MeetingChange:
        return await self._call(meetings.record_meeting, self._ex, record)

    async def assign_matter(
        self, matter_id: str, organisation_id: str, person: str | None, due: str | None, on: str
    ) -> MatterChange:
        return await self._call(meetings.assign_matter, self._ex, matter_id, organisation_id, person, due, on)

    async def complete_matter(self, matter_id: str, on: str) -> MatterChange:
        return await self._call(meetings.complete_matter, self._ex, matter_id, on)

    async def meeting_facts(self, region_id: str | None, since: str | None, until: str | None) -> MeetingFacts:
        return await self._call(meetings.meeting_facts, self._ex, region_id, since, until)

    # dual reporting, grids, health ----------------------------------------------------------
    async def report_to_community(
        self, member_id: str, organisation_id: str, on: str, post: str | None
    ) -> ReportChange:
        return await self._call(reporting.report_to_community, self._ex, member_id, organisation_id, on, post)

    async def reporting_facts(self, region_id: str | None) -> list[ReportFact]:
        return await self._call(reporting.reporting_facts, self._ex, region_id)

    async def unreported_members(self, unit_id: str) -> list[Node]:
        return await self._call(reporting.unreported_members, self._ex, unit_id)

    async def grid_facts(self, region_id: str | None) -> list[GridFact]:
        return await self._call(grids.grid_facts, self._ex, region_id)

    async def health_facts(self, region_id: str | None) -> HealthFacts:
        return await self._call(health.health_facts, self._ex, region_id)

    # backup and restore ---------------------------------------------------------------------
    async def export_graph(self, sink: Callable[[Node | Edge], None]) -> bool:
        return await self._call(backup.export_graph, self._ex, sink)

    async def restore_nodes(self, label: Label, rows: Sequence[Mapping[str, Any]]) -> None:
        await self._call(backup.restore_nodes, self._ex, label, rows)

    async def restore_relationships(self, type: RelType, start: Label, end: Label, edges: Sequence[Edge]) -> None:
        await self._call(backup.restore_relationships, self._ex, type, edges)


_: type[GraphStore] = EmbeddedStore  # mypy checks the facade against the whole port here
