"""Micro-wishes (微心愿) on the embedded store. Each move runs inside one IMMEDIATE transaction, so the
state read is the state written over: of two acceptors racing for one wish exactly one wins, as in
Neo4j."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from service.graph import records
from service.graph.embedded.executor import EmbeddedExecutor, put_edge, put_node, set_props
from service.graph.embedded.memory_graph import MemoryGraph
from service.graph.embedded.scope import in_period, scoped, within
from service.graph.rejections import wish_rejection
from service.graph.types import Node
from service.graph.workflow_types import WishChange, WishFacts
from service.model import Label, RelType, Supply
from service.registry import ACTORS
from service.workflows import wishes as wish_rules
from service.workflows.wishes import TRANSITIONS, WishAction, WishFact


def _actor(mem: MemoryGraph, node_id: str | None) -> Node | None:
    node = mem.nodes.get(node_id) if node_id is not None else None
    return node if node is not None and node.label in ACTORS else None


def _wish_for(mem: MemoryGraph, wish_id: str, action: WishAction) -> Node:
    wish = mem.nodes.get(wish_id)
    if wish is None or wish.label is not Label.WISH:
        raise wish_rejection("NO_WISH", wish_id)
    if wish.props.get("status") not in wish_rules.allowed_from(action):
        raise wish_rules.illegal(wish_id, action, wish.props.get("status"))
    return wish


def _moved(db: sqlite3.Connection, mem: MemoryGraph, wish: Node, action: WishAction,
           **changes: Any) -> WishChange:
    node = Node(wish.id, Label.WISH, set_props(wish.props, status=TRANSITIONS[action].to.value, **changes))
    put_node(db, mem, node)
    return WishChange(node, wish.props.get("status"), True)


def publish_wish(ex: EmbeddedExecutor, row: Mapping[str, Any], region_id: str) -> WishChange:
    wish_id = records.check_new_id("wish", row["id"])
    with ex.writing() as (db, mem):
        existing = mem.nodes.get(wish_id)
        if existing is not None and existing.label is not Label.WISH:
            raise wish_rejection("ID_TAKEN", wish_id)
        if existing is not None:
            return WishChange(existing, existing.props.get("status"), False)
        if not mem.has_label(region_id, Label.REGION):
            raise wish_rejection("NO_REGION", wish_id, region_id)
        node = Node(wish_id, Label.WISH, set_props({}, **{**row, "status": "PUBLISHED"}))
        put_node(db, mem, node)
        put_edge(db, mem, RelType.IN, wish_id, region_id, {})
        return WishChange(node, None, True)


def dispatch_wish(ex: EmbeddedExecutor, wish_id: str, organisation_id: str, on: str) -> WishChange:
    with ex.writing() as (db, mem):
        wish = _wish_for(mem, wish_id, WishAction.DISPATCH)
        if not mem.has_label(organisation_id, Label.ORGANISATION):
            raise wish_rejection("NO_ORGANISATION", wish_id, organisation_id)
        put_edge(db, mem, RelType.DISPATCHED_TO, wish_id, organisation_id,
                  mem.edge_props(RelType.DISPATCHED_TO, wish_id, organisation_id) or {})
        return _moved(db, mem, wish, WishAction.DISPATCH, dispatchedOn=on)


def accept_wish(ex: EmbeddedExecutor, wish_id: str, acceptor_id: str, on: str) -> WishChange:
    with ex.writing() as (db, mem):
        wish = _wish_for(mem, wish_id, WishAction.ACCEPT)
        if _actor(mem, acceptor_id) is None:
            raise wish_rejection("NO_ACTOR", wish_id, acceptor_id)
        put_edge(db, mem, RelType.ACCEPTED, acceptor_id, wish_id, {"on": on})
        return _moved(db, mem, wish, WishAction.ACCEPT, acceptedOn=on)


def fulfil_wish(
    ex: EmbeddedExecutor, wish_id: str, on: str, contributor_ids: Sequence[str] = (),
    warehouse_id: str | None = None, supply: Supply | None = None,
) -> WishChange:
    with ex.writing() as (db, mem):
        wish = _wish_for(mem, wish_id, WishAction.FULFIL)
        missing = [c for c in dict.fromkeys(contributor_ids) if _actor(mem, c) is None]
        if missing:
            raise wish_rejection("NO_CONTRIBUTOR", wish_id, missing[0])
        if warehouse_id is not None:
            house = mem.nodes.get(warehouse_id)
            if house is None or house.label is not Label.ENTERPRISE or house.props.get("wishWarehouse") is not True:
                raise wish_rejection("NOT_WAREHOUSE", wish_id, warehouse_id)
        givers = list(dict.fromkeys([*contributor_ids, *mem.into(wish_id, RelType.ACCEPTED)]))
        for giver in givers:
            if mem.edge_props(RelType.CONTRIBUTED, giver, wish_id) is None:
                put_edge(db, mem, RelType.CONTRIBUTED, giver, wish_id, {"on": on})
        if warehouse_id is not None:
            prior = mem.edge_props(RelType.CONTRIBUTED, warehouse_id, wish_id) or {}
            put_edge(db, mem, RelType.CONTRIBUTED, warehouse_id, wish_id,
                      {**prior, "on": prior.get("on", on), "supply": (supply or Supply.DONATION).value})
        return _moved(db, mem, wish, WishAction.FULFIL, fulfilledOn=on)


def rate_wish(ex: EmbeddedExecutor, wish_id: str, rating: int, comment: str | None, on: str) -> WishChange:
    wish_rules.check_rating(rating)
    with ex.writing() as (db, mem):
        wish = _wish_for(mem, wish_id, WishAction.RATE)
        return _moved(db, mem, wish, WishAction.RATE, rating=rating, ratingComment=comment, ratedOn=on)


def cancel_wish(ex: EmbeddedExecutor, wish_id: str, on: str, reason: str | None) -> WishChange:
    with ex.writing() as (db, mem):
        wish = _wish_for(mem, wish_id, WishAction.CANCEL)
        return _moved(db, mem, wish, WishAction.CANCEL, cancelledOn=on, cancelReason=reason)


def wish_facts(ex: EmbeddedExecutor, region_id: str | None, since: str | None, until: str | None) -> WishFacts:
    with ex.reading() as mem:
        regions = scoped(mem, region_id)
        facts: list[WishFact] = []
        contributors: set[str] = set()
        for wish_id in sorted(mem.by_label[Label.WISH]):
            wish = mem.nodes[wish_id]
            published = wish.props.get("publishedOn")
            if not in_period(published, since, until):
                continue
            if not within(mem, wish, regions):
                continue
            givers = [g for g in mem.into(wish_id, RelType.CONTRIBUTED) if g in mem.nodes]
            contributors.update(givers)
            dispatched = wish.props.get("dispatchedOn") is not None or any(
                mem.has_label(o, Label.ORGANISATION) for o in mem.out(wish_id, RelType.DISPATCHED_TO))
            warehouse = any(mem.has_label(g, Label.ENTERPRISE) and mem.nodes[g].props.get("wishWarehouse") is True
                            for g in givers)
            facts.append(WishFact(wish_id, str(wish.props.get("status")), published, wish.props.get("fulfilledOn"),
                                  dispatched, any(True for _ in mem.into(wish_id, RelType.ACCEPTED)), warehouse))
    return WishFacts(facts, len(contributors))
