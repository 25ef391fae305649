"""The GraphStore port: every read and write the service needs, typed and async, as ONE protocol.

Two adapters implement it, service/graph/neo4j (Neo4jStore) and service/graph/embedded
(EmbeddedStore), each a thin facade over per-aggregate operation modules; tests/contract defines
what correct means, and mypy checks each facade against the whole protocol (see open_store), so a
missing or mistyped method is a type error rather than an AttributeError at run time.

The workflow calls (micro-wishes, joint meetings and matters, dual reporting, grids, organisation
health) are atomic check-and-writes: the current state is read under the node's write lock (one
statement in Neo4j, one IMMEDIATE transaction in SQLite), so two callers racing for one wish or
matter cannot both win. Their reads return facts; the counting and the rules live in
service/workflows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from service.audit import AuditQuery
from service.errors import AllianceError
from service.graph.aggregate_types import ItemTotals, LinkQuery, LinkTotals
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


class GraphStore(Protocol):
    """The port. Every method is one round trip to the store (one statement in Neo4j)."""

    async def ping(self) -> None:
        """Return when the store answers; raise StoreUnavailable otherwise."""

    async def migrate(self) -> list[str]:
        """Apply pending schema migrations in order; return the names applied now."""

    async def version(self) -> str:
        """An opaque token of the stored state: it changes whenever data is written, by this
        process or any other, so equal tokens mean nothing changed (response caches key on it)."""

    async def close(self) -> None: ...

    async def clear(self) -> None:
        """Delete every node and relationship (tests and `alliance demo --reset`)."""

    # writes ------------------------------------------------------------------------------
    async def upsert_nodes(self, label: Label, rows: Sequence[Mapping[str, Any]]) -> UpsertResult:
        """Create or update nodes by `id` in one transaction; properties are merged."""

    async def upsert_relationships(
        self, type: RelType, start: Label, end: Label, rows: Sequence[RelRow]
    ) -> UpsertResult:
        """One relationship per (start, type, end), properties merged; both ends must exist."""

    async def upsert_batch(
        self, nodes: Sequence[tuple[Label, Sequence[Mapping[str, Any]]]], relationships: Sequence[RelGroup]
    ) -> BatchResult:
        """Node groups, then relationship groups, in that order and in ONE transaction: like
        upsert_nodes / upsert_relationships each, but a conflict, a dangling end or an invalid row
        anywhere writes nothing at all."""

    async def claim_item(
        self, item_id: str, claimant_id: str, quantity: float, on: str, claim_id: str
    ) -> Claim:
        """Atomically claim `quantity` of an item; AlreadyClaimed when not enough remains."""

    async def claim_items(self, claims: Sequence[Mapping[str, Any]]) -> list[Claim | AllianceError]:
        """Many claims (id, item_id, claimant_id, quantity, on) in one transaction, each checked
        like claim_item in order; a refused claim comes back as its (unraised) error."""

    async def release_claim(self, claim_id: str) -> Claim: ...

    # the audit trail (service/audit.py) ----------------------------------------------------
    async def append_audit(self, row: Mapping[str, Any]) -> None:
        """Create one AuditRecord on its own (a record with the write it records is written by that write's
        transaction); an id already used is refused. AUDIT_FAILED when it cannot be written."""

    async def audit_log(self, query: AuditQuery) -> Page[Node]:
        """AuditRecords the query's filters select, newest first (`at`, then id), keyset-paginated."""

    async def prune_audit(self, before: str) -> int:
        """Delete the AuditRecords whose `at` is before `before` (retention); how many went."""

    # corrections (service/graph/corrections.py) --------------------------------------------------
    async def withdraw(self, id: str, reason: str, at: str) -> Node:
        """Mark a unit, agreement or list item withdrawn at `at` with the reason and the acting key
        (service/graph/provenance.py): kept in the graph, left out of listings, totals, search and
        analytics unless they ask for withdrawn ones. NotFound for an unknown id, VALIDATION for
        another label or an empty reason, AlreadyWithdrawn the second time."""

    async def merge_units(self, keep: str, remove: str, at: str) -> Node:
        """In ONE transaction: every relationship of `remove` moved to `keep` (parallel duplicates
        merged, the kept unit's properties first), `remove` deleted, and a UnitMerge record written,
        which this answers; a version of each agreement whose parties changed. Both must exist, differ
        and be of one label (Organisation or Enterprise); otherwise nothing changes."""

    # reads -------------------------------------------------------------------------------
    async def get_node(self, id: str, label: Label | None = None) -> Node | None: ...

    async def get_nodes(self, ids: Sequence[str]) -> list[Node]: ...

    async def find_by_names(self, label: Label, names: Sequence[str]) -> list[Node]:
        """Nodes of `label` whose name is exactly one of `names` (several when names repeat)."""

    async def list_nodes(self, query: Query) -> Page[Node]: ...

    async def related(
        self, ids: Sequence[str], type: RelType, outgoing: bool
    ) -> list[Related]:
        """Neighbours of many nodes over one type (the DataLoader primitive)."""

    async def search(
        self, text: str, first: int, labels: Sequence[Label] = (), region_id: str | None = None,
        include_withdrawn: bool = False,
    ) -> list[Node]:
        """Full-text search over names (Chinese text works), within a region subtree when given."""

    async def neighbourhood(self, id: str, depth: int, limit: int, region_id: str | None = None) -> Subgraph:
        """Nodes within `depth` hops, at most `limit`; with a region, only nodes within its subtree
        are answered (the start included: NotFound otherwise)."""

    async def shortest_path(
        self, source: str, target: str, max_depth: int = 8, region_id: str | None = None
    ) -> Subgraph | None:
        """A shortest path in any direction; with a region, one whose every node is within it."""

    async def paired_units(self, organisation_id: str, region_id: str | None = None) -> list[Pairing]:
        """Units sharing an ACTIVE agreement with the organisation, with those agreements; with a
        region, only units within its subtree."""

    async def list_items(self, query: ItemQuery) -> Page[Item]: ...

    async def item_totals(self, query: ItemQuery) -> ItemTotals:
        """Over every list item the query's filters select (its paging ignored): how many, their
        quantity, claimed and remaining quantity summed, and their distinct publishers."""

    async def link_totals(self, query: LinkQuery) -> LinkTotals:
        """Over the nodes a listing query selects (its paging ignored), their links of one type
        whose properties meet the conditions and whose other end is within the query's region:
        how many nodes, how many of them have such a link, how many distinct nodes they reach."""

    async def region_stats(self, region_id: str) -> list[Count]: ...

    async def count_by_label(self) -> dict[Label, int]:
        """How many nodes each label of the model has, every label included (0 when none), in the
        order of Label; cheap (Neo4j's count store), for `alliance info` and the demo's emptiness check."""

    async def analytics_network(
        self, region_id: str | None = None, alliance_id: str | None = None
    ) -> list[UnitTies]:
        """Every unit in scope (the region subtree and/or the alliance's member organisations,
        their leader and the enterprises hosting them; everything when both are None), sorted by
        id, with the ties the analytics projection weighs (service/analytics/projection.py)."""

    async def analytics_gaps(self, region_id: str | None, published_before: str) -> CoverageFacts:
        """Coverage gaps in scope: community / village regions whose party organisation shares
        no ACTIVE agreement with another unit; items not CLOSED published before `published_before`
        (ISO date) with quantity still unclaimed; units party to an agreement that publish no
        item and hold no ACTIVE claim. Each list sorted by id."""

    # micro-wishes -------------------------------------------------------------------------
    async def publish_wish(self, row: Mapping[str, Any], region_id: str) -> WishChange:
        """点单: a new PUBLISHED wish IN the region. Idempotent on the id (a repeat changes nothing)."""

    async def dispatch_wish(self, wish_id: str, organisation_id: str, on: str) -> WishChange:
        """派单: PUBLISHED → DISPATCHED to an organisation."""

    async def accept_wish(self, wish_id: str, acceptor_id: str, on: str) -> WishChange:
        """接单: DISPATCHED → ACCEPTED by a member, organisation or enterprise; one acceptor wins."""

    async def fulfil_wish(
        self, wish_id: str, on: str, contributor_ids: Sequence[str] = (),
        warehouse_id: str | None = None, supply: Supply | None = None,
    ) -> WishChange:
        """ACCEPTED → FULFILLED; the acceptor, the contributors and the wish warehouse (goods, with
        how it supplied them) are recorded as CONTRIBUTED."""

    async def rate_wish(self, wish_id: str, rating: int, comment: str | None, on: str) -> WishChange:
        """评单: FULFILLED → RATED with 1–5 and a comment."""

    async def cancel_wish(self, wish_id: str, on: str, reason: str | None) -> WishChange:
        """Any state before FULFILLED → CANCELLED."""

    async def wish_facts(self, region_id: str | None, since: str | None, until: str | None) -> WishFacts:
        """Wishes IN the region subtree published within [since, until] (ISO dates, inclusive)."""

    # joint meetings and matters --------------------------------------------------------------
    async def record_meeting(self, record: MeetingRecord) -> MeetingChange:
        """A meeting OF an alliance, its attendees and the matters decided. Idempotent on the id."""

    async def assign_matter(
        self, matter_id: str, organisation_id: str, person: str | None, due: str | None, on: str
    ) -> MatterChange:
        """Make an organisation (and a person there) responsible, with a deadline: → IN_PROGRESS."""

    async def complete_matter(self, matter_id: str, on: str) -> MatterChange:
        """An assigned, unfinished matter → DONE on `on`."""

    async def meeting_facts(self, region_id: str | None, since: str | None, until: str | None) -> MeetingFacts:
        """Meetings of alliances covering the region subtree held within [since, until], and their matters."""

    # dual reporting ----------------------------------------------------------------------------
    async def report_to_community(
        self, member_id: str, organisation_id: str, on: str, post: str | None
    ) -> ReportChange:
        """An in-service member REPORTED_TO a community or village organisation, optionally
        taking a service post there; a member reports to one community."""

    async def reporting_facts(self, region_id: str | None) -> list[ReportFact]:
        """Every report to an organisation located in the region subtree."""

    async def unreported_members(self, unit_id: str) -> list[Node]:
        """In-service members of the organisation who have not reported anywhere yet."""

    # grids and health --------------------------------------------------------------------------
    async def grid_facts(self, region_id: str | None) -> list[GridFact]:
        """Every grid in the region subtree with its branches and responsible members."""

    async def health_facts(self, region_id: str | None) -> HealthFacts:
        """BRANCH organisations with their full members, alliances with the day of their last
        meeting, ACTIVE agreements with an end date, in the subtree."""

    # backup and restore (service/backup.py) ------------------------------------------------------
    async def export_graph(self, sink: Callable[[Node | Edge], None]) -> bool:
        """Every node of the model's labels, then every relationship of its types, each handed to
        `sink` once. True when they are one consistent state: the embedded store reads a copy made by
        SQLite's online backup (always True); Neo4j reads in one transaction, whose isolation is read
        committed, so True only when no write committed while it read."""

    async def restore_nodes(self, label: Label, rows: Sequence[Mapping[str, Any]]) -> None:
        """Backed-up nodes of one label (their properties, the id among them) written as they are, in
        one transaction: no rules, no merging (a restore writes into an empty store)."""

    async def restore_relationships(self, type: RelType, start: Label, end: Label, edges: Sequence[Edge]) -> None:
        """Backed-up relationships of one type between nodes of `start` and `end` written as they are,
        in one transaction; an end that is missing fails it whole."""
