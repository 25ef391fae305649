"""Micro-wishes (微心愿): 点单 → 派单 → 接单 → fulfilled → 评单, each move one statement that
checks the wish's state under its lock and writes it (wish_*.cypher)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, LiteralString

from service.graph import records
from service.graph.neo4j import census
from service.graph.neo4j.executor import Neo4jExecutor
from service.graph.neo4j.results import to_node
from service.graph.neo4j.statements import statement
from service.graph.rejections import wish_rejection
from service.graph.workflow_types import WishChange, WishFacts
from service.model import Label, Supply
from service.workflows import wishes as wish_rules
from service.workflows.wishes import TRANSITIONS, WishAction, WishFact


async def _move(ex: Neo4jExecutor, name: LiteralString, action: WishAction, wish_id: str,
                params: Mapping[str, Any], target: Any = None) -> WishChange:
    move = TRANSITIONS[action]
    [r] = await census.kept(
        ex, statement(name),
        {"wishId": wish_id, "allowed": wish_rules.allowed_from(action), "to": move.to.value, **params},
        [Label.WISH], [wish_id],
    )
    outcome = r["outcome"]
    if outcome == "ILLEGAL":
        raise wish_rules.illegal(wish_id, action, r["before"])
    if outcome != "OK":
        raise wish_rejection(outcome, wish_id, r.get("target", target))
    return WishChange(to_node(r["w"]), r["before"], True)


async def publish_wish(ex: Neo4jExecutor, row: Mapping[str, Any], region_id: str) -> WishChange:
    records.check_new_id("wish", row["id"])
    [r] = await census.kept(ex, statement("wish_publish"), {"row": dict(row), "regionId": region_id},
                              [Label.WISH], [row["id"]])
    if r["outcome"] not in ("OK", "REPEAT"):
        raise wish_rejection(r["outcome"], str(row["id"]), region_id)
    return WishChange(to_node(r["w"]), r["before"], r["outcome"] == "OK")


async def dispatch_wish(ex: Neo4jExecutor, wish_id: str, organisation_id: str, on: str) -> WishChange:
    return await _move(ex, "wish_dispatch", WishAction.DISPATCH, wish_id,
                       {"organisationId": organisation_id, "on": on}, organisation_id)


async def accept_wish(ex: Neo4jExecutor, wish_id: str, acceptor_id: str, on: str) -> WishChange:
    return await _move(ex, "wish_accept", WishAction.ACCEPT, wish_id, {"actorId": acceptor_id, "on": on}, acceptor_id)


async def fulfil_wish(
    ex: Neo4jExecutor, wish_id: str, on: str, contributor_ids: Sequence[str] = (),
    warehouse_id: str | None = None, supply: Supply | None = None,
) -> WishChange:
    params = {"on": on, "contributorIds": list(dict.fromkeys(contributor_ids)), "warehouseId": warehouse_id,
              "supply": None if warehouse_id is None else (supply or Supply.DONATION).value}
    return await _move(ex, "wish_fulfil", WishAction.FULFIL, wish_id, params)


async def rate_wish(ex: Neo4jExecutor, wish_id: str, rating: int, comment: str | None, on: str) -> WishChange:
    wish_rules.check_rating(rating)
    return await _move(ex, "wish_rate", WishAction.RATE, wish_id, {"rating": rating, "comment": comment, "on": on})


async def cancel_wish(ex: Neo4jExecutor, wish_id: str, on: str, reason: str | None) -> WishChange:
    return await _move(ex, "wish_cancel", WishAction.CANCEL, wish_id, {"on": on, "reason": reason})


async def wish_facts(ex: Neo4jExecutor, region_id: str | None, since: str | None, until: str | None) -> WishFacts:
    rows = await ex.run(statement("wish_facts"), {"regionId": region_id, "since": since, "until": until})
    contributors = {c for r in rows for c in r["contributors"]}
    facts = [WishFact(r["id"], r["status"], r["publishedOn"], r["fulfilledOn"], r["dispatched"], r["accepted"],
                      r["warehouse"]) for r in rows]
    return WishFacts(facts, len(contributors))
