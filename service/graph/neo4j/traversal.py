"""Walks from one node: its neighbourhood, a shortest path to another, and the units paired with
an organisation through ACTIVE agreements; each optionally confined to a region subtree."""

from __future__ import annotations

from service.errors import NotFound
from service.graph import records
from service.graph.neo4j.executor import Neo4jExecutor
from service.graph.neo4j.listings import list_nodes
from service.graph.neo4j.nodes import get_node
from service.graph.neo4j.results import node_of, to_node
from service.graph.neo4j.statements import statement
from service.graph.types import Condition, Edge, Node, Op, Pairing, Query, Subgraph
from service.model import RelType


async def neighbourhood(
    ex: Neo4jExecutor, id: str, depth: int, limit: int, region_id: str | None = None
) -> Subgraph:
    records.check_depth(depth, limit)
    query = statement("neighbourhood", scoped=region_id is not None, depth=depth)
    rows = await ex.run(query, {"id": id, "limit": limit, "regionId": region_id})
    if not rows:
        raise NotFound(f"no node {id!r}")
    [row] = rows
    nodes = [node_of(labels, props) for labels, props, _ in row["nodes"]]
    edges = records.keep_internal(nodes, ((props["id"], out) for _, props, out in row["nodes"]))  # collect drops nulls
    return Subgraph(nodes, edges, bool(row["truncated"]))


async def shortest_path(
    ex: Neo4jExecutor, source: str, target: str, max_depth: int = 8, region_id: str | None = None
) -> Subgraph | None:
    if source == target:  # shortestPath refuses equal ends; the path is the node itself
        node = await get_node(ex, source)
        if node is None or (region_id is not None and not await _in_region(ex, node, region_id)):
            return None
        return Subgraph([node], [])
    query = statement("shortest_path", scoped=region_id is not None)
    rows = await ex.run(query, {"source": source, "target": target, "regionId": region_id})
    if not rows or len(rows[0]["edges"]) > max_depth:
        return None
    edges = [Edge(RelType(e["type"]), e["start"], e["end"], dict(e["props"])) for e in rows[0]["edges"]]
    return Subgraph([to_node(n) for n in rows[0]["nodes"]], edges)


async def _in_region(ex: Neo4jExecutor, node: Node, region_id: str) -> bool:
    query = Query(node.label, where=(Condition("id", Op.EQ, node.id),), region_id=region_id, first=1)
    return bool((await list_nodes(ex, query)).items)


async def paired_units(ex: Neo4jExecutor, organisation_id: str, region_id: str | None = None) -> list[Pairing]:
    query = statement("paired_units", scoped=region_id is not None)
    [row] = await ex.run(query, {"id": organisation_id, "regionId": region_id})
    return [Pairing(node_of(labels, props), [node_of(*a) for a in agreements])
            for labels, props, agreements in row["pairings"]]
