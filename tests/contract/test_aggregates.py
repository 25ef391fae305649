"""item_totals and link_totals on both stores: the listing's selection and region, summed or
counted distinct, the far end of a link scoped too; the same refusal of a link a label never has."""

from __future__ import annotations

import pytest

from service.errors import ValidationFailed
from service.graph.aggregate_types import ItemTotals, LinkQuery, LinkTotals
from service.graph.port import GraphStore
from service.graph.types import Condition, ItemQuery, Op, Query
from service.model import Label, RelType
from tests.contract import small_graph
from tests.contract.small_graph import STREET_A, STREET_B

GUEST = (Condition("role", Op.EQ, "乙方"),)


async def _items(store: GraphStore, **query: object) -> ItemTotals:
    """The same sums, paged out of list_items."""
    page = await store.list_items(ItemQuery(first=1000, **query))  # type: ignore[arg-type]
    quantity = sum(i.node.get("quantity", 0) for i in page.items)
    claimed = sum(i.claimed for i in page.items)
    return ItemTotals(page.total, quantity, claimed, quantity - claimed,
                      len({i.publisher_id for i in page.items if i.publisher_id}))


async def test_item_totals_sum_what_the_listing_lists(store: GraphStore) -> None:
    await small_graph.build(store)
    await store.claim_item("ITEM-P1", "ORG-TAX", 15, "2024-01-02", "C-agg")
    for query in ({}, {"list": "RESOURCE"}, {"category": "停车位"}, {"region_id": STREET_A},
                  {"region_id": STREET_B}, {"unclaimed": True}, {"publisher_id": "ORG-A1"}):
        assert await store.item_totals(ItemQuery(**query)) == await _items(store, **query), query  # type: ignore[arg-type]
    parking = await store.item_totals(ItemQuery(category="停车位"))
    assert (parking.quantity, parking.claimed, parking.remaining) == (40, 15, 25)
    assert await store.item_totals(ItemQuery(region_id="999999")) == ItemTotals(0, 0, 0, 0, 0)


async def test_link_totals_count_distinct_ends_within_the_region(store: GraphStore) -> None:
    await small_graph.build(store)
    guests = LinkQuery(Query(Label.AGREEMENT), RelType.PARTY_TO, False, GUEST)
    assert await store.link_totals(guests) == LinkTotals(4, 4, 3)  # the tax office, the hospital, the firm
    # street A's agreements include AGR-3 with the hospital of street B: not counted for street A
    in_a = LinkQuery(Query(Label.AGREEMENT, region_id=STREET_A), RelType.PARTY_TO, False, GUEST)
    assert await store.link_totals(in_a) == LinkTotals(3, 2, 2)
    in_b = LinkQuery(Query(Label.AGREEMENT, region_id=STREET_B), RelType.PARTY_TO, False, GUEST)
    assert await store.link_totals(in_b) == LinkTotals(2, 2, 1)
    everyone = LinkQuery(Query(Label.AGREEMENT, where=(Condition("kind", Op.EQ, "CO_BUILDING"),)),
                         RelType.PARTY_TO, False)
    assert await store.link_totals(everyone) == LinkTotals(3, 3, 4)
    outgoing = LinkQuery(Query(Label.ORGANISATION), RelType.EMBEDDED_IN, True)
    assert await store.link_totals(outgoing) == LinkTotals(7, 1, 1)
    nowhere = LinkQuery(Query(Label.AGREEMENT, region_id="999999"), RelType.PARTY_TO, False)
    assert await store.link_totals(nowhere) == LinkTotals(0, 0, 0)


@pytest.mark.parametrize(("label", "type", "outgoing"), [
    (Label.REGION, RelType.PARTY_TO, False), (Label.AGREEMENT, RelType.PARTY_TO, True),
])
async def test_a_link_the_label_never_has_is_refused(
    store: GraphStore, label: Label, type: RelType, outgoing: bool
) -> None:
    with pytest.raises(ValidationFailed, match=type.value):
        await store.link_totals(LinkQuery(Query(label), type, outgoing))
