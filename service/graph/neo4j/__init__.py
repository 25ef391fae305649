"""The Neo4j adapter: a facade over per-aggregate operation modules, each port method one
parameterised statement from service/cypher/queries (a batch: several in one transaction), run by
one Neo4jExecutor."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from service.audit import AuditQuery
from service.errors import AllianceError
from service.graph.aggregate_types import ItemTotals, LinkQuery, LinkTotals
from service.graph.neo4j import (
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
from service.graph.neo4j import claims as claiming  # the port names claim_items' argument `claims`
from service.graph.neo4j.executor import Neo4jExecutor
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

__all__ = ["Neo4jStore"]


class Neo4jStore:
    def __init__(self, executor: Neo4jExecutor) -> None:
        self._ex = executor

    @classmethod
    def connect(cls, uri: str, user: str, password: str, database: str = "neo4j") -> Neo4jStore:
        return cls(Neo4jExecutor.connect(uri, user, password, database))

    # lifecycle ------------------------------------------------------------------------------
    async def ping(self) -> None:
        await self._ex.ping()

    async def version(self) -> str:
        return await self._ex.version()

    async def migrate(self) -> list[str]:
        return await maintenance.migrate(self._ex)

    async def migrate_imported(self, overlap: bool = False) -> list[str]:
        """migrate() for a database the offline importer just wrote (loaders/bulk.py): schema only, in few passes
        (`overlap`: the constraints built while the other indexes populate, measured by bench/bench_bulk_steps)."""
        return await maintenance.migrate_imported(self._ex, overlap)

    async def close(self) -> None:
        await self._ex.close()

    async def clear(self) -> None:
        await maintenance.clear(self._ex)

    # the audit trail ---------------------------------------------------------------------------
    async def append_audit(self, row: Mapping[str, Any]) -> None:
        await audit_records.append(self._ex, row)

    async def audit_log(self, query: AuditQuery) -> Page[Node]:
        return await audit_records.audit_log(self._ex, query)

    async def prune_audit(self, before: str) -> int:
        return await audit_records.prune(self._ex, before)

    # writes ---------------------------------------------------------------------------------
    async def upsert_nodes(self, label: Label, rows: Sequence[Mapping[str, Any]]) -> UpsertResult:
        if label == Label.AGREEMENT:  # as a batch: a changed agreement leaves a version (service/graph/versions.py)
            return (await self.upsert_batch([(label, rows)], [])).nodes[0]
        return await nodes.upsert_nodes(self._ex, label, rows)

    async def upsert_relationships(
        self, type: RelType, start: Label, end: Label, rows: Sequence[RelRow]
    ) -> UpsertResult:
        if type == RelType.PARTY_TO:  # as a batch: changed parties leave a version of the agreement
            return (await self.upsert_batch([], [RelGroup(type, start, end, rows)])).relationships[0]
        return await relationships.upsert_relationships(self._ex, type, start, end, rows)

    async def upsert_batch(
        self, nodes: Sequence[tuple[Label, Sequence[Mapping[str, Any]]]], relationships: Sequence[RelGroup]
    ) -> BatchResult:
        return await batches.upsert_batch(self._ex, nodes, relationships)

    async def claim_item(self, item_id: str, claimant_id: str, quantity: float, on: str, claim_id: str) -> Claim:
        return await claiming.claim_item(self._ex, item_id, claimant_id, quantity, on, claim_id)

    async def claim_items(self, claims: Sequence[Mapping[str, Any]]) -> list[Claim | AllianceError]:
        return await claiming.claim_items(self._ex, claims)

    async def release_claim(self, claim_id: str) -> Claim:
        return await claiming.release_claim(self._ex, claim_id)

    # corrections ----------------------------------------------------------------------------
    async def withdraw(self, id: str, reason: str, at: str) -> Node:
        return await corrections.withdraw(self._ex, id, reason, at)

    async def merge_units(self, keep: str, remove: str, at: str) -> Node:
        return await corrections.merge_units(self._ex, keep, remove, at)

    # reads ----------------------------------------------------------------------------------
    async def get_node(self, id: str, label: Label | None = None) -> Node | None:
        return await nodes.get_node(self._ex, id, label)

    async def get_nodes(self, ids: Sequence[str]) -> list[Node]:
        return await nodes.get_nodes(self._ex, ids)

    async def find_by_names(self, label: Label, names: Sequence[str]) -> list[Node]:
        return await nodes.find_by_names(self._ex, label, names)

    async def list_nodes(self, query: Query) -> Page[Node]:
        return await listings.list_nodes(self._ex, query)

    async def related(self, ids: Sequence[str], type: RelType, outgoing: bool) -> list[Related]:
        return await relationships.related(self._ex, ids, type, outgoing)

    async def search(
        self, text: str, first: int, labels: Sequence[Label] = (), region_id: str | None = None,
        include_withdrawn: bool = False,
    ) -> list[Node]:
        return await search.search(self._ex, text, first, labels, region_id, include_withdrawn)

    async def neighbourhood(self, id: str, depth: int, limit: int, region_id: str | None = None) -> Subgraph:
        return await traversal.neighbourhood(self._ex, id, depth, limit, region_id)

    async def shortest_path(
        self, source: str, target: str, max_depth: int = 8, region_id: str | None = None
    ) -> Subgraph | None:
        return await traversal.shortest_path(self._ex, source, target, max_depth, region_id)

    async def paired_units(self, organisation_id: str, region_id: str | None = None) -> list[Pairing]:
        return await traversal.paired_units(self._ex, organisation_id, region_id)

    async def list_items(self, query: ItemQuery) -> Page[Item]:
        return await listings.list_items(self._ex, query)

    async def item_totals(self, query: ItemQuery) -> ItemTotals:
        return await aggregates.item_totals(self._ex, query)

    async def link_totals(self, query: LinkQuery) -> LinkTotals:
        return await aggregates.link_totals(self._ex, query)

    async def region_stats(self, region_id: str) -> list[Count]:
        return await regions.region_stats(self._ex, region_id)

    async def count_by_label(self) -> dict[Label, int]:
        return await nodes.count_by_label(self._ex)

    async def analytics_network(self, region_id: str | None = None, alliance_id: str | None = None) -> list[UnitTies]:
        return await analytics.analytics_network(self._ex, region_id, alliance_id)

    async def analytics_gaps(self, region_id: str | None, published_before: str) -> CoverageFacts:
        return await analytics.analytics_gaps(self._ex, region_id, published_before)

    # micro-wishes ---------------------------------------------------------------------------
    async def publish_wish(self, row: Mapping[str, Any], region_id: str) -> WishChange:
        return await wishes.publish_wish(self._ex, row, region_id)

    async def dispatch_wish(self, wish_id: str, organisation_id: str, on: str) -> WishChange:
        return await wishes.dispatch_wish(self._ex, wish_id, organisation_id, on)

    async def accept_wish(self, wish_id: str, acceptor_id: str, on: str) -> WishChange:
        return await wishes.accept_wish(self._ex, wish_id, acceptor_id, on)

    async def fulfil_wish(
        self, wish_id: str, on: str, contributor_ids: Sequence[str] = (),
        warehouse_id: str | None = None, supply: Supply | None = None,
    ) -> WishChange:
        return await wishes.fulfil_wish(self._ex, wish_id, on, contributor_ids, warehouse_id, supply)

    async def rate_wish(self, wish_id: str, rating: int, comment: str | None, on: str) -> WishChange:
        return await wishes.rate_wish(self._ex, wish_id, rating, comment, on)

    async def cancel_wish(self, wish_id: str, on: str, reason: str | None) -> WishChange:
        return await wishes.cancel_wish(self._ex, wish_id, on, reason)

    async def wish_facts(self, region_id: str | None, since: str | None, until: str | None) -> WishFacts:
        return await wishes.wish_facts(self._ex, region_id, since, until)

    # joint meetings and matters -------------------------------------------------------------
    async def record_meeting(self, record: MeetingRecord) -> MeetingChange:
        return await meetings.record_meeting(self._ex, record)

    async def assign_matter(
        self, matter_id: str, organisation_id: str, person: str | None, due: str | None, on: str
    ) -> MatterChange:
        return await meetings.assign_matter(self._ex, matter_id, organisation_id, person, due, on)

    async def complete_matter(self, matter_id: str, on: str) -> MatterChange:
        return await meetings.complete_matter(self._ex, matter_id, on)

    async def meeting_facts(self, region_id: str | None, since: str | None, until: str | None) -> MeetingFacts:
        return await meetings.meeting_facts(self._ex, region_id, since, until)

    # dual reporting, grids, health ----------------------------------------------------------
    async def report_to_community(
        self, member_id: str, organisation_id: str, on: str, post: str | None
    ) -> ReportChange:
        return await reporting.report_to_community(self._ex, member_id, organisation_id, on, post)

    async def reporting_facts(self, region_id: str | None) -> list[ReportFact]:
        return await reporting.reporting_facts(self._ex, region_id)

    async def unreported_members(self, unit_id: str) -> list[Node]:
        return await reporting.unreported_members(self._ex, unit_id)

    async def grid_facts(self, region_id: str | None) -> list[GridFact]:
        return await grids.grid_facts(self._ex, region_id)

    async def health_facts(self, region_id: str | None) -> HealthFacts:
        return await health.health_facts(self._ex, region_id)

    # backup and restore ---------------------------------------------------------------------
    async def export_graph(self, sink: Callable[[Node | Edge], None]) -> bool:
        return await backup.export_graph(self._ex, sink)

    async def restore_nodes(self, label: Label, rows: Sequence[Mapping[str, Any]]) -> None:
        await backup.restore_nodes(self._ex, label, rows)

    async def restore_relationships(self, type: RelType, start: Label, end: Label, edges: Sequence[Edge]) -> None:
        await backup.restore_relationships(self._ex, type, start, end, edges)


_: type[GraphStore] = Neo4jStore  # mypy checks the facade against the whole port here
