"""Micro-wishes on both stores: the lifecycle, every illegal transition, the acceptor race, wish
warehouses and the funnel facts."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from service.errors import Conflict, IllegalState, NotFound, ValidationFailed
from service.graph.port import GraphStore
from service.graph.workflow_types import WishChange
from service.model import RelType, Supply, WishStatus
from service.workflows.wishes import TRANSITIONS, WishAction, funnel
from tests.workflows import wish_graph
from tests.workflows.wish_graph import COMM_A1, COMM_B1, ENTERPRISE, WAREHOUSE

DAY = "2021-06-01"


async def _do(store: GraphStore, action: WishAction, wish_id: str) -> WishChange:
    if action is WishAction.DISPATCH:
        return await store.dispatch_wish(wish_id, "ORG-A1", DAY)
    if action is WishAction.ACCEPT:
        return await store.accept_wish(wish_id, "M-1", DAY)
    if action is WishAction.FULFIL:
        return await store.fulfil_wish(wish_id, DAY)
    if action is WishAction.RATE:
        return await store.rate_wish(wish_id, 5, "很满意", DAY)
    return await store.cancel_wish(wish_id, DAY, "居民撤回")


async def test_a_wish_walks_the_whole_lifecycle(store: GraphStore) -> None:
    await wish_graph.build(store)
    row = {"id": "W-1", "title": "房间渗水修补", "category": "家居维修", "publishedOn": "2021-05-01",
           "recipient": "朱某某", "recipientPhone": "13800001111"}
    made = await store.publish_wish(row, COMM_A1)
    assert made.changed and made.before is None and made.wish.props["status"] == "PUBLISHED"
    again = await store.publish_wish({**row, "title": "changed"}, COMM_A1)
    assert not again.changed and again.wish.props["title"] == "房间渗水修补"
    steps = [
        (await store.dispatch_wish("W-1", "ORG-A1", "2021-05-02"), "PUBLISHED", "DISPATCHED"),
        (await store.accept_wish("W-1", "ORG-TAX", "2021-05-03"), "DISPATCHED", "ACCEPTED"),
        (await store.fulfil_wish("W-1", "2021-05-11", ["M-1", "M-2"]), "ACCEPTED", "FULFILLED"),
        (await store.rate_wish("W-1", 4, "修得很好", "2021-05-12"), "FULFILLED", "RATED"),
    ]
    for change, before, after in steps:
        assert (change.before, change.wish.props["status"]) == (before, after)
    final = steps[-1][0].wish.props
    assert final["rating"] == 4 and final["ratingComment"] == "修得很好" and final["fulfilledOn"] == "2021-05-11"
    assert final["dispatchedOn"] == "2021-05-02" and final["acceptedOn"] == "2021-05-03"
    [dispatched] = await store.related(["W-1"], RelType.DISPATCHED_TO, True)
    assert dispatched.node.id == "ORG-A1"
    accepted = await store.related(["W-1"], RelType.ACCEPTED, False)
    assert [(r.node.id, r.props["on"]) for r in accepted] == [("ORG-TAX", "2021-05-03")]
    givers = sorted(r.node.id for r in await store.related(["W-1"], RelType.CONTRIBUTED, False))
    assert givers == ["M-1", "M-2", "ORG-TAX"]  # the acceptor gives too
    facts = await store.wish_facts(None, None, None)
    assert facts.contributors == 3
    assert funnel(facts.wishes, facts.contributors).median_days_to_fulfil == 10.0


ILLEGAL = [(action, state) for action, move in TRANSITIONS.items() for state in WishStatus
           if state not in move.allowed]


async def test_every_illegal_transition_is_refused_naming_the_state(store: GraphStore) -> None:
    await wish_graph.build(store)
    assert len(ILLEGAL) == 23
    for n, (_, state) in enumerate(ILLEGAL):
        await wish_graph.wish_in(store, f"W-{n}", state.value)
    for n, (action, state) in enumerate(ILLEGAL):
        with pytest.raises(IllegalState) as refused:
            await _do(store, action, f"W-{n}")
        assert refused.value.code == "ILLEGAL_STATE"
        assert f"wish 'W-{n}' is {state.value}; cannot {action.value} it" in str(refused.value)
    for n, (_, state) in enumerate(ILLEGAL):  # nothing moved
        node = await store.get_node(f"W-{n}")
        assert node is not None and node.props["status"] == state.value
        assert "rating" not in node.props and "cancelledOn" not in node.props
    assert await store.related([f"W-{n}" for n in range(len(ILLEGAL))], RelType.ACCEPTED, False) == []


async def test_every_legal_transition_moves_one_step(store: GraphStore) -> None:
    await wish_graph.build(store)
    n = 0
    for action, move in TRANSITIONS.items():
        for state in sorted(move.allowed):
            await wish_graph.wish_in(store, f"L-{n}", state.value)
            if action is WishAction.FULFIL:
                await store.upsert_relationships(RelType.ACCEPTED, *_member_wish(), [_row("M-2", f"L-{n}")])
            change = await _do(store, action, f"L-{n}")
            assert (change.before, change.wish.props["status"]) == (state.value, move.to.value)
            n += 1


def _member_wish() -> tuple[Any, Any]:
    from service.model import Label

    return Label.MEMBER, Label.WISH


def _row(start: str, end: str) -> Any:
    from service.graph.types import RelRow

    return RelRow(start, end, {"on": DAY})


async def test_two_acceptors_racing_for_one_wish_one_wins(store: GraphStore) -> None:
    await wish_graph.build(store)
    await wish_graph.wish_in(store, "W-R", "DISPATCHED")
    acceptors = ["M-1", "M-2", "ORG-TAX", "ORG-HOSP", ENTERPRISE, "ORG-A1"] * 2
    outcomes = await asyncio.gather(*(store.accept_wish("W-R", a, DAY) for a in acceptors),
                                    return_exceptions=True)
    wins = [o for o in outcomes if isinstance(o, WishChange)]
    losses = [o for o in outcomes if not isinstance(o, WishChange)]
    assert len(wins) == 1 and wins[0].before == "DISPATCHED"
    assert len(losses) == len(acceptors) - 1
    assert all(isinstance(e, IllegalState) and "is ACCEPTED; cannot accept" in str(e) for e in losses)
    assert len(await store.related(["W-R"], RelType.ACCEPTED, False)) == 1


async def test_accept_and_cancel_racing_leave_one_consistent_outcome(store: GraphStore) -> None:
    await wish_graph.build(store)
    await wish_graph.wish_in(store, "W-C", "DISPATCHED")
    outcomes = await asyncio.gather(store.accept_wish("W-C", "M-1", DAY), store.cancel_wish("W-C", DAY, None),
                                    return_exceptions=True)
    node = await store.get_node("W-C")
    assert node is not None
    # cancelling after acceptance is legal, accepting after cancellation is not
    if isinstance(outcomes[1], WishChange) and outcomes[1].before == "DISPATCHED":
        assert isinstance(outcomes[0], IllegalState) and node.props["status"] == "CANCELLED"
    else:
        assert isinstance(outcomes[0], WishChange) and node.props["status"] == "CANCELLED"
        assert isinstance(outcomes[1], WishChange) and outcomes[1].before == "ACCEPTED"


async def test_wish_warehouse_supplies_goods(store: GraphStore) -> None:
    await wish_graph.build(store)
    await wish_graph.wish_in(store, "W-G", "ACCEPTED", category="生活用品")
    await store.upsert_relationships(RelType.ACCEPTED, *_member_wish(), [_row("M-1", "W-G")])
    with pytest.raises(ValidationFailed, match=f"{ENTERPRISE!r} is not a wish-warehouse enterprise"):
        await store.fulfil_wish("W-G", DAY, warehouse_id=ENTERPRISE)
    with pytest.raises(NotFound, match="no member, organisation or enterprise 'NOBODY' to contribute"):
        await store.fulfil_wish("W-G", DAY, ["M-2", "NOBODY"])
    node = await store.get_node("W-G")
    assert node is not None and node.props["status"] == "ACCEPTED"  # refused calls wrote nothing
    assert await store.related(["W-G"], RelType.CONTRIBUTED, False) == []
    done = await store.fulfil_wish("W-G", DAY, ["M-2"], warehouse_id=WAREHOUSE, supply=Supply.AT_COST)
    assert done.wish.props["status"] == "FULFILLED"
    given = {r.node.id: r.props for r in await store.related(["W-G"], RelType.CONTRIBUTED, False)}
    assert set(given) == {"M-1", "M-2", WAREHOUSE} and given[WAREHOUSE]["supply"] == "AT_COST"
    facts = await store.wish_facts(None, None, None)
    assert funnel(facts.wishes, facts.contributors).warehouse_fulfilled == 1


async def test_wish_errors_name_the_value(store: GraphStore) -> None:
    await wish_graph.build(store)
    await wish_graph.wish_in(store, "W-E", "PUBLISHED")
    with pytest.raises(NotFound, match="no wish 'W-X'"):
        await store.dispatch_wish("W-X", "ORG-A1", DAY)
    with pytest.raises(NotFound, match="no organisation 'M-1' to dispatch the wish to"):
        await store.dispatch_wish("W-E", "M-1", DAY)
    with pytest.raises(NotFound, match="no region '999' to publish the wish in"):
        await store.publish_wish({"id": "W-N", "title": "x"}, "999")
    with pytest.raises(Conflict, match="'ORG-A1' is already used by a node that is not a wish"):
        await store.publish_wish({"id": "ORG-A1", "title": "x"}, COMM_A1)
    await store.dispatch_wish("W-E", "ORG-A1", DAY)
    with pytest.raises(NotFound, match="no member, organisation or enterprise 'W-E' to accept the wish"):
        await store.accept_wish("W-E", "W-E", DAY)
    with pytest.raises(ValidationFailed, match="rating 6 must be a whole number from 1 to 5"):
        await store.rate_wish("W-E", 6, None, DAY)


async def test_funnel_facts_by_region_and_period(store: GraphStore) -> None:
    await wish_graph.build(store)
    plan = [("F-1", "RATED", COMM_A1, "2021-01-10", "2021-01-20"), ("F-2", "FULFILLED", COMM_A1, "2021-02-01",
            "2021-02-05"), ("F-3", "ACCEPTED", COMM_B1, "2021-03-01", None), ("F-4", "CANCELLED", COMM_B1,
            "2021-03-02", None), ("F-5", "PUBLISHED", COMM_A1, "2022-01-01", None)]
    for wid, status, region, published, fulfilled in plan:
        extra = {"fulfilledOn": fulfilled} if fulfilled else {}
        await wish_graph.wish_in(store, wid, status, region, published, **extra)
    rel = _member_wish()
    await store.upsert_relationships(RelType.ACCEPTED, *rel, [_row("M-1", "F-1"), _row("M-1", "F-2"),
                                                               _row("M-2", "F-3")])
    await store.upsert_relationships(RelType.CONTRIBUTED, *rel, [_row("M-1", "F-1"), _row("M-1", "F-2"),
                                                                  _row("M-2", "F-3")])
    from service.model import Label

    await store.upsert_relationships(RelType.DISPATCHED_TO, Label.WISH, Label.ORGANISATION, [_row("F-4", "ORG-B1")])
    everything = await store.wish_facts(None, None, None)
    f = funnel(everything.wishes, everything.contributors)
    assert (f.published, f.dispatched, f.accepted, f.fulfilled, f.rated, f.cancelled) == (5, 4, 3, 2, 1, 1)
    assert f.contributors == 2 and f.median_days_to_fulfil == 7.0  # 10 and 4 days
    street_a = await store.wish_facts(wish_graph.small_graph.STREET_A, "2021-01-01", "2021-12-31")
    assert sorted(x.id for x in street_a.wishes) == ["F-1", "F-2"] and street_a.contributors == 1
    assert (await store.wish_facts("NO-SUCH-REGION", None, None)).wishes == []
