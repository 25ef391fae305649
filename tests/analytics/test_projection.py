"""The alliance network read from each store: documented weights, scopes, and the same graph
from Neo4j as from the embedded store on every demo profile."""

from __future__ import annotations

import pytest

from service.analytics import projection
from service.analytics.projection import Scope
from service.graph.port import GraphStore
from service.graph.types import RelRow
from service.model import Label, RelType
from tests.contract import small_graph
from tests.contract.small_graph import ENTERPRISE, STREET_A


def _edges(network: projection.Network) -> dict[tuple[str, str], float]:
    return {(min(a, b), max(a, b)): w for a, b, w in network.graph.edges(data="weight")}


async def test_weights_follow_the_documented_rules(store: GraphStore) -> None:
    await small_graph.build(store)
    await store.claim_item("ITEM-P1", ENTERPRISE, 5, "2021-06-01", "C-1")  # TAX published P1
    await store.claim_item("ITEM-P2", "ORG-A1", 1, "2021-06-02", "C-2")
    await store.claim_item("ITEM-N1", "ORG-TAX", 1, "2021-06-03", "C-3")  # A1 published N1
    await store.release_claim("C-3")  # a released claim is no tie
    network = await projection.load(store)
    assert list(network.graph) == sorted(["ORG-STA", "ORG-A1", "ORG-A2", "ORG-B1", "ORG-TAX", "ORG-HOSP", "ORG-ENT",
                                          ENTERPRISE])
    assert _edges(network) == {
        ("ORG-A1", "ORG-TAX"): 1.0 + 0.25 + 1.0,  # pairing agreement AGR-1, alliance of 3, claim C-2
        (ENTERPRISE, "ORG-A1"): 1.0,  # AGR-2
        (ENTERPRISE, "ORG-TAX"): 1.0,  # claim C-1
        ("ORG-B1", "ORG-HOSP"): 1.0,  # AGR-4 (AGR-3 with the hospital is EXPIRED)
        ("ORG-A1", "ORG-STA"): 0.25,  # ALL-STA: led by STA, members STA, A1, TAX → 0.5 / (3 - 1)
        ("ORG-STA", "ORG-TAX"): 0.25,
    }
    tie = network.ties[("ORG-A1", "ORG-TAX")]
    assert (tie.agreements, tie.alliances, tie.claims) == (["AGR-1"], ["ALL-STA"], 1)


async def test_multi_party_agreement_spreads_one_tie(store: GraphStore) -> None:
    await small_graph.build(store)
    await store.upsert_nodes(Label.AGREEMENT, [{"id": "AGR-M", "title": "四方共建", "status": "ACTIVE"}])
    parties = ["ORG-A2", "ORG-B1", "ORG-HOSP", "ORG-ENT"]
    await store.upsert_relationships(RelType.PARTY_TO, Label.ORGANISATION, Label.AGREEMENT,
                                     [RelRow(p, "AGR-M") for p in parties])
    edges = _edges(await projection.load(store))
    assert edges[("ORG-A2", "ORG-B1")] == pytest.approx(1 / 3)
    assert edges[("ORG-B1", "ORG-HOSP")] == pytest.approx(1 + 1 / 3)
    # viewed from street A, the sizes still count every party: the tie stays a third
    inside = _edges(await projection.load(store, Scope(region_id=STREET_A)))
    assert inside[("ORG-A2", "ORG-ENT")] == pytest.approx(1 / 3)


async def test_scopes_restrict_the_units(store: GraphStore) -> None:
    await small_graph.build(store)
    street = await projection.load(store, Scope(region_id=STREET_A))
    assert set(street.graph) == {"ORG-STA", "ORG-A1", "ORG-A2", "ORG-TAX", "ORG-ENT", ENTERPRISE}
    assert ("ORG-B1", "ORG-HOSP") not in _edges(street)
    alliance = await projection.load(store, Scope(alliance_id="ALL-STA"))
    assert set(alliance.graph) == {"ORG-STA", "ORG-A1", "ORG-TAX"}
    both = await projection.load(store, Scope(region_id="650106002", alliance_id="ALL-STA"))
    assert list(both.graph) == []
    assert list((await projection.load(store, Scope(region_id="no-such-region"))).graph) == []
    assert Scope.parse(Scope(STREET_A, "ALL-STA").key) == Scope(STREET_A, "ALL-STA")
    assert Scope.parse("") == Scope()


async def test_version_changes_with_ties_not_with_other_writes(store: GraphStore) -> None:
    await small_graph.build(store)
    before = (await projection.load(store)).version
    await store.upsert_nodes(Label.MEMBER, [{"id": "M-1", "phone": "13900000000"}])
    await store.upsert_nodes(Label.ORGANISATION, [{"id": "ORG-A1", "name": "红山社区党委(新)"}])
    assert (await projection.load(store)).version == before
    await store.claim_item("ITEM-P1", "ORG-HOSP", 1, "2021-06-01", "C-9")
    after = (await projection.load(store)).version
    assert after != before
