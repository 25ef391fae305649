"""Withdrawals and unit merges on the embedded store, each in one IMMEDIATE transaction: the
mirrors of service/graph/neo4j/corrections.py, with the checks and the plan of
service/graph/corrections.py."""

from __future__ import annotations

from service.graph import corrections, provenance, versions
from service.graph.corrections import Link
from service.graph.embedded.batches import agreement_states
from service.graph.embedded.executor import EmbeddedExecutor, dump, merge, put_edge
from service.graph.embedded.memory_graph import MemoryGraph
from service.graph.embedded.nodes import write_nodes
from service.graph.types import Node
from service.model import Label, RelType


def withdraw(ex: EmbeddedExecutor, node_id: str, reason: str, at: str) -> Node:
    reason = corrections.check_reason(reason)
    with ex.writing() as (db, mem):
        node = corrections.check_withdrawal(node_id, mem.nodes.get(node_id))
        changed = Node(node.id, node.label,
                       merge(node.props, corrections.withdrawn_props(reason, at, provenance.current())))
        db.execute("UPDATE nodes SET props = ? WHERE id = ?", (dump(changed.props), node.id))
        mem.put_node(changed)
        return changed


def _links(mem: MemoryGraph, node_id: str) -> list[Link]:
    return [Link(type, outgoing, other, mem.nodes[other].label, props)
            for outgoing, other, type, props in mem.links(node_id)]


def merge_units(ex: EmbeddedExecutor, keep_id: str, remove_id: str, at: str) -> Node:
    actor = provenance.current()
    with ex.writing() as (db, mem):
        keep, remove = corrections.check_merge(keep_id, remove_id, mem.nodes.get(keep_id), mem.nodes.get(remove_id))
        remove_links = _links(mem, remove.id)
        plan = corrections.plan_merge(keep, remove, _links(mem, keep.id), remove_links)
        before = agreement_states(mem, corrections.party_agreements(remove_links))
        db.execute('DELETE FROM rels WHERE start = ? OR "end" = ?', (remove.id, remove.id))
        db.execute("DELETE FROM nodes WHERE id = ?", (remove.id,))
        mem.drop_node(remove.id)
        for (type, _, _), rows in plan.writes.items():
            for row in rows:
                put_edge(db, mem, type, row.start, row.end, merge(mem.edge_props(type, row.start, row.end) or {},
                                                                  row.props))
        for row in plan.claims:
            claim_id = str(row.props["id"])
            db.execute('INSERT INTO rels (type, start, "end", key, props) VALUES (?, ?, ?, ?, ?)',
                       (RelType.CLAIMED.value, row.start, row.end, claim_id, dump(row.props)))
            mem.put_edge(RelType.CLAIMED, row.start, row.end, dict(row.props), claim_id)
        record = corrections.merge_record(keep, remove, plan, at, actor)
        versioned = versions.version_rows(before, agreement_states(mem, sorted(before)), at, actor)
        write_nodes(db, mem, Label.UNIT_MERGE, [record])
        if versioned:
            write_nodes(db, mem, Label.AGREEMENT_VERSION, versioned)
        return mem.nodes[record["id"]]
