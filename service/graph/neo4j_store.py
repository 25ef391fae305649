"""The Neo4j adapter: each port method is one parameterised statement from cypher/queries,
run as a managed transaction (the driver retries transient failures) with `database_` and
`routing_` on every call."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, LiteralString, TypeVar

import neo4j
from neo4j import AsyncDriver, AsyncGraphDatabase, RoutingControl
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from service.claims import claim_rejection
from service.cypher import migrations, statement
from service.errors import AllianceError, Conflict, NotFound, StoreUnavailable, ValidationFailed
from service.graph import records
from service.graph.neo4j_batches import (
    NotAllNew,
    RelStep,
    create_batch,
    nodes_written,
    probe,
    relationships_written,
    write_batch,
)
from service.graph.neo4j_workflows import Neo4jWorkflows
from service.graph.store import (
    BatchResult,
    Claim,
    Condition,
    Count,
    CoverageFacts,
    Edge,
    Item,
    ItemQuery,
    Node,
    Op,
    Page,
    Pairing,
    Query,
    Related,
    RelGroup,
    RelRow,
    Subgraph,
    Tie,
    UnitTies,
    UpsertResult,
    decode_cursor,
    encode_cursor,
)
from service.model import Label, RelType

T = TypeVar("T")
_LABELS = {label.value: label for label in Label}


def to_node(n: neo4j.graph.Node) -> Node:
    label = next((_LABELS[x] for x in n.labels if x in _LABELS), None)
    if label is None:
        raise ValueError(f"node {n.element_id} has no label of the model: {sorted(n.labels)}")
    props = dict(n)
    return Node(props["id"], label, props)


def _outgoing(row: Mapping[str, Any]) -> tuple[str, list[Mapping[str, Any]]]:
    return row["n"]["id"], [r for r in row["out"] if r is not None]


class Neo4jStore(Neo4jWorkflows):
    def __init__(self, driver: AsyncDriver, database: str = "neo4j") -> None:
        self._driver = driver
        self._database = database

    @classmethod
    def connect(cls, uri: str, user: str, password: str, database: str = "neo4j") -> Neo4jStore:
        driver = AsyncGraphDatabase.driver(
            uri,
            auth=(user, password),
            connection_acquisition_timeout=10,
            max_transaction_retry_time=15,
            # Schema hints ("type OF does not exist yet") are noise on a young graph.
            notifications_min_severity="OFF",
        )
        return cls(driver, database)

    async def _run(
        self, query: LiteralString, params: Mapping[str, Any], *, write: bool = False
    ) -> list[neo4j.Record]:
        with _translated():
            records_, _, _ = await self._driver.execute_query(
                query,
                dict(params),
                database_=self._database,
                routing_=RoutingControl.WRITE if write else RoutingControl.READ,
            )
        return records_

    async def _map(
        self, query: LiteralString, params: Mapping[str, Any], fn: Callable[[neo4j.Record], T]
    ) -> list[T]:
        return [fn(r) for r in await self._run(query, params)]

    # lifecycle ------------------------------------------------------------------------
    async def ping(self) -> None:
        # verify_connectivity does not retry, so an outage is reported at once
        try:
            await self._driver.verify_connectivity()
        except (DriverError, Neo4jError, OSError) as exc:
            raise StoreUnavailable(f"Neo4j is not answering: {exc.__class__.__name__}: {exc}") from exc
        await self._run(statement("ping"), {})

    async def version(self) -> str:
        # A read transaction's bookmark names the last transaction committed before it, so it
        # changes with every write by anyone (loaders, other workers, cypher-shell) and costs one
        # trivial statement. Bookmarks are opaque: only compared for equality, never parsed.
        with _translated():
            async with self._driver.session(
                database=self._database, default_access_mode=neo4j.READ_ACCESS, bookmark_manager=None
            ) as session:
                await (await session.run(statement("ping"))).consume()
                return "|".join(sorted((await session.last_bookmarks()).raw_values))

    async def migrate(self) -> list[str]:
        done = {r["name"] for r in await self._run(statement("migration_applied"), {})}
        applied = []
        for name, parts in migrations():
            if name in done:
                continue
            for part in parts:
                await self._run(part, {}, write=True)
            await self._run(statement("migration_record"), {"name": name}, write=True)
            applied.append(name)
        await self._run("CALL db.awaitIndexes(300)", {})
        return applied

    async def close(self) -> None:
        await self._driver.close()

    async def clear(self) -> None:
        # CALL … IN TRANSACTIONS needs an implicit (auto-commit) transaction.
        try:
            async with self._driver.session(database=self._database) as session:
                for name in ("clear_relationships", "clear"):
                    await (await session.run(statement(name))).consume()
        except (ServiceUnavailable, SessionExpired, AuthError) as exc:
            raise StoreUnavailable(f"Neo4j is not answering: {exc}") from exc

    # writes -----------------------------------------------------------------------------
    async def upsert_nodes(self, label: Label, rows: Sequence[Mapping[str, Any]]) -> UpsertResult:
        label = records.as_label(label)
        prepared = records.prepare_nodes(label, rows)
        if not prepared:
            return UpsertResult()
        [row] = await self._run(statement("upsert_nodes", label=label), {"rows": prepared}, write=True)
        return nodes_written(label, row)

    async def upsert_relationships(
        self, type: RelType, start: Label, end: Label, rows: Sequence[RelRow]
    ) -> UpsertResult:
        group = records.prepare_group(RelGroup(type, start, end, rows))
        if not group.rows:
            return UpsertResult()
        params = {"rows": [{"start": r.start, "end": r.end, "props": r.props} for r in group.rows]}
        [row] = await self._run(
            statement("upsert_relationships", start=group.start, type=group.type, end=group.end), params, write=True
        )
        return relationships_written(group.type, group.start, group.end, row)

    async def upsert_batch(
        self, nodes: Sequence[tuple[Label, Sequence[Mapping[str, Any]]]], relationships: Sequence[RelGroup]
    ) -> BatchResult:
        # Everything is checked before the transaction opens: the driver may run the transaction
        # function again after a transient failure, so it only runs statements.
        node_steps, groups = records.prepare_batch(nodes, relationships)
        rel_steps = [RelStep(g.type, g.start, g.end, g.single, g.per,
                             [{"start": r.start, "end": r.end, "props": r.props} for r in g.rows]) for g in groups]
        has_nodes = any(rows for _, rows in node_steps)
        if not has_nodes and not any(s.rows for s in rel_steps):
            return BatchResult([UpsertResult() for _ in node_steps], [UpsertResult() for _ in rel_steps])
        if has_nodes:
            try:
                return await self._write_transaction(create_batch, node_steps, rel_steps, probe(node_steps))
            except NotAllNew:
                pass  # rolled back; some nodes exist (or an end is missing): the general way reports it
        return await self._write_transaction(write_batch, node_steps, rel_steps)

    async def _write_transaction(
        self, work: Callable[..., Awaitable[T]], *args: Any
    ) -> T:
        """`work(tx, *args)` as one managed write transaction (several statements, one commit);
        an exception raised inside rolls it back. Driver errors are translated as in `_run`."""
        with _translated():
            async with self._driver.session(database=self._database) as session:
                return await session.execute_write(work, *args)

    async def claim_items(self, claims: Sequence[Mapping[str, Any]]) -> list[Claim | AllianceError]:
        for c in claims:
            records.check_claim(c)
        if not claims:
            return []
        rows = await self._run(statement("claim_items"), {"claims": [dict(c) for c in claims]}, write=True)
        return [_claim_outcome(r) for r in rows]

    async def claim_item(
        self, item_id: str, claimant_id: str, quantity: float, on: str, claim_id: str
    ) -> Claim:
        claim = {"id": claim_id, "item_id": item_id, "claimant_id": claimant_id, "quantity": quantity, "on": on}
        [outcome] = await self.claim_items([claim])
        if isinstance(outcome, AllianceError):
            raise outcome
        return outcome

    async def release_claim(self, claim_id: str) -> Claim:
        from datetime import date

        [r] = await self._run(
            statement("release_claim"), {"claimId": claim_id, "on": date.today().isoformat()}, write=True
        )
        if not r["found"]:
            raise NotFound(f"no claim {claim_id!r}")
        return Claim(claim_id, r["itemId"], r["claimantId"], r["quantity"], r["on"], r["status"],
                     r["remaining"], False)

    # reads ------------------------------------------------------------------------------
    async def get_node(self, id: str, label: Label | None = None) -> Node | None:
        found = await self.get_nodes([id])
        if not found or (label is not None and found[0].label is not label):
            return None
        return found[0]

    async def get_nodes(self, ids: Sequence[str]) -> list[Node]:
        return await self._map(statement("get_nodes"), {"ids": list(ids)}, lambda r: to_node(r["n"]))

    async def find_by_names(self, label: Label, names: Sequence[str]) -> list[Node]:
        label = records.as_label(label)
        if not names:
            return []
        return await self._map(statement("find_by_names", label=label), {"names": sorted(set(names))},
                               lambda r: to_node(r["n"]))

    async def list_nodes(self, query: Query) -> Page[Node]:
        records.check_query(query)
        label = records.as_label(query.label)
        params = {
            "regionId": query.region_id,
            "conds": [{"prop": c.prop, "op": c.op.value, "value": c.value} for c in query.where],
            "orderBy": query.order_by,
            "limit": query.first + 1,
            **_after(query.after),
        }
        rows = await self._run(statement("list_nodes", label=label, descending=query.descending), params)
        return _page(rows, query.first, lambda r: to_node(r["n"]), query.region_id)

    async def related(self, ids: Sequence[str], type: RelType, outgoing: bool) -> list[Related]:
        type = records.as_rel_type(type)
        name = "related_out" if outgoing else "related_in"
        return await self._map(
            statement(name, type=type),
            {"ids": list(ids)},
            lambda r: Related(r["sourceId"], to_node(r["n"]), dict(r["props"])),
        )

    async def search(
        self, text: str, first: int, labels: Sequence[Label] = (), region_id: str | None = None
    ) -> list[Node]:
        records.check_page(first)
        terms = " ".join(_lucene_escape(t) for t in text.split())
        if not terms:
            return []
        return await self._map(
            statement("search"),
            {"text": terms, "first": first, "labels": [records.as_label(x).value for x in labels],
             "regionId": region_id},
            lambda r: to_node(r["n"]),
        )

    async def neighbourhood(self, id: str, depth: int, limit: int, region_id: str | None = None) -> Subgraph:
        records.check_depth(depth, limit)
        rows = await self._run(
            statement("neighbourhood", depth=depth), {"id": id, "limit": limit, "regionId": region_id}
        )
        if not rows:
            raise NotFound(f"no node {id!r}")
        nodes = [to_node(r["n"]) for r in rows]
        edges = records.keep_internal(nodes, (_outgoing(r) for r in rows))
        return Subgraph(nodes, edges, bool(rows[0]["truncated"]))

    async def shortest_path(
        self, source: str, target: str, max_depth: int = 8, region_id: str | None = None
    ) -> Subgraph | None:
        if source == target:  # shortestPath refuses equal ends; the path is the node itself
            node = await self.get_node(source)
            if node is None or (region_id is not None and not await self._in_region(node, region_id)):
                return None
            return Subgraph([node], [])
        rows = await self._run(
            statement("shortest_path"), {"source": source, "target": target, "regionId": region_id}
        )
        if not rows or len(rows[0]["edges"]) > max_depth:
            return None
        edges = [Edge(RelType(e["type"]), e["start"], e["end"], dict(e["props"])) for e in rows[0]["edges"]]
        return Subgraph([to_node(n) for n in rows[0]["nodes"]], edges)

    async def _in_region(self, node: Node, region_id: str) -> bool:
        query = Query(node.label, where=(Condition("id", Op.EQ, node.id),), region_id=region_id, first=1)
        return bool((await self.list_nodes(query)).items)

    async def paired_units(self, organisation_id: str, region_id: str | None = None) -> list[Pairing]:
        return await self._map(
            statement("paired_units"),
            {"id": organisation_id, "regionId": region_id},
            lambda r: Pairing(to_node(r["u"]), [to_node(a) for a in r["agreements"]]),
        )

    async def list_items(self, query: ItemQuery) -> Page[Item]:
        records.check_item_query(query)
        params = {
            "regionId": query.region_id,
            "list": query.list,
            "category": query.category,
            "status": query.status,
            "publisherId": query.publisher_id,
            "unclaimed": query.unclaimed,
            "orderBy": query.order_by,
            "limit": query.first + 1,
            **_after(query.after),
        }
        rows = await self._run(statement("list_items", descending=query.descending), params)
        return _page(
            rows,
            query.first,
            lambda r: Item(to_node(r["n"]), r["claimed"], r["remaining"], r["publisherId"]),
            query.region_id,
        )

    async def region_subtree(self, region_id: str) -> list[Node]:
        return await self._map(statement("region_subtree"), {"regionId": region_id}, lambda r: to_node(r["n"]))

    async def region_stats(self, region_id: str) -> list[Count]:
        return await self._map(
            statement("region_stats"),
            {"regionId": region_id},
            lambda r: Count(Label(r["label"]), r["kind"], r["status"], r["count"]),
        )

    async def edge_list(self, region_id: str | None = None) -> tuple[list[Node], list[Edge]]:
        if region_id is None:
            rows = await self._run(statement("whole_graph"), {})
        else:
            rows = await self._run(statement("region_scope"), {"regionId": region_id})
        nodes = [to_node(r["n"]) for r in rows]
        return nodes, records.keep_internal(nodes, (_outgoing(r) for r in rows))

    async def analytics_network(
        self, region_id: str | None = None, alliance_id: str | None = None
    ) -> list[UnitTies]:
        rows = await self._run(statement("analytics_network"), {"regionId": region_id, "allianceId": alliance_id})
        return [
            UnitTies(
                node=to_node(r["u"]), region_id=min(r["regions"], default=None),
                agreements=tuple(Tie(t["id"], t["size"]) for t in r["agreements"]),
                alliances=tuple(Tie(t["id"], t["size"]) for t in r["alliances"]),
                claimed_from=tuple(r["claimedFrom"]), signed=r["signed"], published=r["published"], claims=r["claims"],
            )
            for r in rows
        ]

    async def analytics_gaps(self, region_id: str | None, published_before: str) -> CoverageFacts:
        [r] = await self._run(statement("analytics_gaps"), {"regionId": region_id, "publishedBefore": published_before})
        return CoverageFacts(
            unpaired=sorted((to_node(n) for n in r["unpaired"]), key=lambda n: n.id),
            aging=[Item(to_node(a["n"]), a["claimed"], a["remaining"], a["publisherId"]) for a in r["aging"]],
            idle=sorted((to_node(n) for n in r["idle"]), key=lambda n: n.id),
        )


@contextmanager
def _translated() -> Iterator[None]:
    """Driver errors as the port's: an outage, a constraint conflict, a refused statement."""
    try:
        yield
    except (ServiceUnavailable, SessionExpired, AuthError) as exc:
        raise StoreUnavailable(f"Neo4j is not answering: {exc.__class__.__name__}: {exc}") from exc
    except ConstraintError as exc:
        raise Conflict(f"the write breaks a uniqueness constraint: {exc.message}") from exc
    except ClientError as exc:
        raise ValidationFailed(f"Neo4j refused the statement: {exc.message}") from exc
    except (Neo4jError, DriverError, OSError) as exc:
        raise StoreUnavailable(f"Neo4j failed: {exc.__class__.__name__}: {exc}") from exc


def _after(cursor: str | None) -> dict[str, Any]:
    if cursor is None:
        return {"afterId": None, "afterKey": None, "afterNulls": 0}
    key, node_id = decode_cursor(cursor)
    return {"afterId": node_id, "afterKey": key, "afterNulls": 1 if key is None else 0}


def _page(
    rows: list[neo4j.Record], first: int, fn: Callable[[neo4j.Record], T], region_id: str | None
) -> Page[T]:
    total = rows[0]["total"] if rows else 0
    rows = [r for r in rows if r["n"] is not None]
    if not rows:
        return Page([], total, None, False)
    kept = rows[:first]
    last = kept[-1]
    return Page([fn(r) for r in kept], total, encode_cursor(last["key"], last["n"]["id"]),
                len(rows) > first)


def _claim_outcome(r: neo4j.Record) -> Claim | AllianceError:
    if r["outcome"] in ("OK", "REPEAT"):
        return Claim(r["id"], r["itemId"], r["claimantId"], r["quantity"], r["on"], r["status"],
                     r["remaining"], r["outcome"] == "OK")
    return claim_rejection(r["outcome"], id=r["id"], item_id=r["itemId"], claimant_id=r["claimantId"],
                           remaining=r["remaining"], quantity=r["quantity"])


_LUCENE_SPECIAL = set('+-&|!(){}[]^"~*?:\\/')


def _lucene_escape(term: str) -> str:
    return "".join("\\" + ch if ch in _LUCENE_SPECIAL else ch for ch in term)
