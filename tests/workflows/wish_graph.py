"""The small contract graph plus what the workflows need: wishes in given states, a wish
warehouse, a meeting with matters, members of a unit, grids."""

from __future__ import annotations

from service.codes import make_credit_code, organisation_code_check
from service.graph.port import GraphStore
from service.graph.types import RelRow
from service.model import Label, RelType
from tests.contract import small_graph
from tests.contract.small_graph import COMM_A1, COMM_A2, COMM_B1, ENTERPRISE

WAREHOUSE = make_credit_code("9", "1", "440117", "MA59WH01" + organisation_code_check("MA59WH01"))


async def build(store: GraphStore) -> str:
    """The small graph and one wish-warehouse enterprise; returns the warehouse's credit code."""
    await small_graph.build(store)
    code = WAREHOUSE
    await store.upsert_nodes(Label.ENTERPRISE, [
        {"id": code, "name": "从化如愿义仓超市", "industry": "零售", "ownership": "PRIVATE", "wishWarehouse": True},
    ])
    await store.upsert_relationships(RelType.LOCATED_IN, Label.ENTERPRISE, Label.REGION, [RelRow(code, COMM_A1)])
    return code


async def wish_in(store: GraphStore, wish_id: str, status: str, region: str = COMM_A1,
                  published_on: str = "2021-05-01", **props: object) -> None:
    """A wish already in `status` (as a loaded historical record would be)."""
    await store.upsert_nodes(Label.WISH, [{"id": wish_id, "title": "轮椅一台", "category": "助残", "status": status,
                                           "publishedOn": published_on, "recipient": "朱某某", **props}])
    await store.upsert_relationships(RelType.IN, Label.WISH, Label.REGION, [RelRow(wish_id, region)])


__all__ = ["COMM_A1", "COMM_A2", "COMM_B1", "ENTERPRISE", "WAREHOUSE", "build", "wish_in"]
