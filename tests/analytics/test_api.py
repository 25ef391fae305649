# ruff: noqa: UP031  (GraphQL braces read better with %-formatting than with doubled braces)
"""The analytics over GraphQL and the exports over HTTP, with roles, region scope and masking."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from service.analytics.analysis import analyze
from service.analytics.projection import Scope
from service.graph.port import GraphStore
from service.graph.types import RelRow
from service.model import Label, RelType
from tests.analytics.conftest import ApiFactory
from tests.api.conftest import KEYS, Api
from tests.contract.small_graph import COMM_A2, ENTERPRISE, STREET_A, STREET_B

UNIT = "unit { ... on Organisation { id } ... on Enterprise { id } }"


async def test_centrality_ranks_written_back_scores(store: GraphStore, api: Api) -> None:
    assert (await api.gql("{ centrality(metric: BETWEENNESS) { score } }"))["centrality"] == []  # nothing yet
    await analyze(store)
    data = await api.gql("{ centrality(metric: BETWEENNESS, top: 3) { %s score rank } }" % UNIT, role="viewer")
    ranked = data["centrality"]
    assert [r["rank"] for r in ranked] == [1, 2, 3]
    assert ranked[0]["unit"]["id"] == "ORG-A1" and ranked[0]["score"] > ranked[1]["score"]
    api.counter.calls.clear()
    degree = (await api.gql("{ centrality(metric: DEGREE, top: 2) { %s score } }" % UNIT))["centrality"]
    # 街道党工委 and the tax office tie on 2 partners: the smaller id ranks first, as in a full sort
    assert degree == [{"unit": {"id": "ORG-A1"}, "score": 3.0}, {"unit": {"id": "ORG-STA"}, "score": 2.0}]
    assert len(api.counter.calls) <= 4 and "analytics_network" not in api.counter.calls
    data = await api.gql('{ centrality(metric: PAGERANK, regionId: "%s", top: 20) { %s } }' % (STREET_B, UNIT))
    assert {r["unit"]["id"] for r in data["centrality"]} == {"ORG-B1", "ORG-HOSP"}
    error = await api.error("{ centrality(metric: CLOSENESS, top: 500) { score } }")
    assert error["extensions"]["code"] == "OVER_LIMIT"


async def test_scores_on_units_and_stale_after_a_change(store: GraphStore, api: Api) -> None:
    query = ('{ node(id: "ORG-A1") { ... on Organisation { analytics { degree betweenness pagerank closeness '
             'community computedAt graphVersion stale } } } e: node(id: "%s") { ... on Enterprise { analytics '
             '{ degree stale } } } }' % ENTERPRISE)
    data = await api.gql(query)
    assert data["node"]["analytics"] is None
    await analyze(store)
    api.counter.calls.clear()
    data = await api.gql(query, role="viewer")
    scores = data["node"]["analytics"]
    assert scores["degree"] == 3 and scores["betweenness"] > 0 and scores["stale"] is False
    assert len(scores["graphVersion"]) == 16 and scores["computedAt"]
    assert data["e"]["analytics"] == {"degree": 1.0, "stale": False}
    assert api.counter.calls.count("analytics_network") == 1  # one projection read serves every `stale`
    await store.upsert_nodes(Label.AGREEMENT, [{"id": "AGR-9", "title": "新协议", "status": "ACTIVE"}])
    await store.upsert_relationships(RelType.PARTY_TO, Label.ORGANISATION, Label.AGREEMENT,
                                     [RelRow("ORG-A2", "AGR-9"), RelRow("ORG-HOSP", "AGR-9")])
    assert (await api.gql(query))["node"]["analytics"]["stale"] is True


async def test_communities_and_brokers(store: GraphStore, api: Api) -> None:
    await analyze(store)
    data = await api.gql("{ communities { modularity singletons communities { id size members(first: 10) { "
                         "... on Organisation { id } ... on Enterprise { id } } } } }")
    report = data["communities"]
    assert 0 < report["modularity"] < 1 and report["singletons"] == 2  # 青山社区 and 天山物业's party branch
    members = [{m["id"] for m in c["members"]} for c in report["communities"]]
    assert {"ORG-B1", "ORG-HOSP"} in members
    assert sum(c["size"] for c in report["communities"]) == 6
    data = await api.gql("{ brokers { %s components splitSizes } }" % UNIT)
    assert data["brokers"] == [{"unit": {"id": "ORG-A1"}, "components": 2, "splitSizes": [2, 1]}]
    street_b = await api.gql('{ brokers(regionId: "%s") { components } }' % STREET_B)
    assert street_b["brokers"] == []  # a pair has no articulation point


async def test_coverage_gaps_over_graphql(api: Api) -> None:
    data = await api.gql("{ coverageGaps(unclaimedDays: 365) { unpairedCommunities { id } agingItems { id "
                         "daysUnclaimed remaining } idleUnits { ... on Organisation { id } ... on Enterprise { id } } "
                         "unpairedCount agingCount idleCount } }")
    gaps = data["coverageGaps"]
    assert gaps["unpairedCommunities"] == [{"id": COMM_A2}] and gaps["unpairedCount"] == 1
    assert [i["id"] for i in gaps["agingItems"]] == ["ITEM-P1", "ITEM-P2", "ITEM-N1", "ITEM-J1"]  # oldest first
    assert all(i["daysUnclaimed"] > 365 for i in gaps["agingItems"])
    assert {u["id"] for u in gaps["idleUnits"]} == {ENTERPRISE, "ORG-B1"}
    scoped = await api.gql("{ coverageGaps { unpairedCount agingItems { id } idleCount } }", role="street")
    assert scoped["coverageGaps"] == {"unpairedCount": 1, "agingItems": [{"id": "ITEM-P1"}, {"id": "ITEM-P2"},
                                                                         {"id": "ITEM-N1"}], "idleCount": 1}
    error = await api.error('{ coverageGaps(regionId: "%s") { idleCount } }' % STREET_B, role="street")
    assert error["extensions"]["code"] == "FORBIDDEN"


async def test_region_scoped_keys_see_their_region_only(store: GraphStore, api: Api) -> None:
    await analyze(store)
    data = await api.gql("{ centrality(metric: DEGREE, top: 50) { %s } }" % UNIT, role="street")
    ids = {r["unit"]["id"] for r in data["centrality"]}
    assert "ORG-A1" in ids and not ids & {"ORG-B1", "ORG-HOSP"}
    error = await api.error('{ communities(regionId: "%s") { modularity } }' % STREET_B, role="street")
    assert error["extensions"]["code"] == "FORBIDDEN"


async def _export(api: Api, path: str, role: str | None = "analyst") -> tuple[int, bytes, dict[str, str]]:
    headers = {"Authorization": f"Bearer {KEYS[role]}"} if role else {}
    response = await api.client.get(path, headers=headers)
    return response.status_code, response.content, dict(response.headers)


async def test_exports_in_every_format(store: GraphStore, api: Api) -> None:
    await analyze(store)
    status, body, headers = await _export(api, "/export/network.graphml")
    assert status == 200 and headers["content-type"].startswith("application/graphml+xml")
    g = nx.read_graphml(io.BytesIO(body))
    assert g.number_of_nodes() == 8 and g.number_of_edges() == 5
    assert g.nodes["ORG-A1"]["label"] == "红山社区党委" and g.nodes["ORG-A1"]["betweenness"] > 0
    assert g.edges["ORG-A1", "ORG-TAX"]["weight"] == 1.25 and g.edges["ORG-A1", "ORG-TAX"]["agreementIds"] == "AGR-1"
    assert g.nodes["ORG-A1"]["stale"] is False and headers["x-graph-version"] == g.graph["graphVersion"]
    status, body, _ = await _export(api, "/export/network.gexf")
    assert status == 200
    root = ET.fromstring(body)
    assert root.tag.endswith("gexf") and len(root.findall(".//{*}node")) == 8 and len(root.findall(".//{*}edge")) == 5
    status, body, headers = await _export(api, "/export/nodes.csv?regionId=%s" % STREET_B, role="admin")
    assert status == 200 and body.startswith(b"\xef\xbb\xbf") and "attachment" in headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert {r["Id"] for r in rows} == {"ORG-B1", "ORG-HOSP"} and rows[0]["Label"]
    status, body, _ = await _export(api, "/export/edges.csv?allianceId=ALL-STA")
    edges = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [(e["Source"], e["Target"], float(e["Weight"])) for e in edges] == [
        ("ORG-A1", "ORG-STA", 0.25), ("ORG-A1", "ORG-TAX", 1.25), ("ORG-STA", "ORG-TAX", 0.25)]


async def test_exports_need_the_analyst_role_and_respect_the_region(api: Api, make_api: ApiFactory) -> None:
    assert (await _export(api, "/export/nodes.csv", role=None))[0] == 401
    assert (await _export(api, "/export/nodes.csv", role="viewer"))[0] == 403
    assert (await _export(api, "/export/nodes.csv", role="importer"))[0] == 403
    assert (await _export(api, "/export/nodes.xlsx"))[0] == 404
    scoped = await make_api(keys=f"k-street-analyst:analyst:{STREET_A}")
    response = await scoped.client.get("/export/nodes.csv", headers={"Authorization": "Bearer k-street-analyst"})
    ids = {r["Id"] for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert response.status_code == 200 and "ORG-A1" in ids and "ORG-B1" not in ids
    response = await scoped.client.get(f"/export/nodes.csv?regionId={STREET_B}",
                                       headers={"Authorization": "Bearer k-street-analyst"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("role", ["analyst", "admin"])
async def test_exports_mask_personal_data_but_for_admin(store: GraphStore, api: Api, role: str) -> None:
    await store.upsert_nodes(Label.ORGANISATION, [{"id": "ORG-TAX", "secretary": "李建国", "phone": "13812345678"}])
    _, body, _ = await _export(api, "/export/nodes.csv", role=role)
    text = body.decode("utf-8-sig")
    [tax] = [r for r in csv.DictReader(io.StringIO(text)) if r["Id"] == "ORG-TAX"]
    if role == "admin":
        assert (tax["secretary"], tax["phone"]) == ("李建国", "13812345678")
    else:
        assert (tax["secretary"], tax["phone"]) == ("李**", "138****5678")
        assert "李建国" not in text and "13812345678" not in text
        for path in ("/export/network.gexf", "/export/network.graphml"):
            _, other, _ = await _export(api, path, role=role)
            assert "李建国".encode() not in other and b"13812345678" not in other


async def test_stale_flag_in_exports_follows_the_scope(store: GraphStore, api: Api) -> None:
    await analyze(store, Scope(region_id=STREET_B))
    _, body, _ = await _export(api, f"/export/nodes.csv?regionId={STREET_B}")
    rows = {r["Id"]: r for r in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}
    assert rows["ORG-B1"]["stale"] == "false" and rows["ORG-B1"]["graphVersion"]
    await store.claim_item("ITEM-P1", "ORG-B1", 1, "2024-01-01", "C-1")  # the tax office is outside street B
    _, body, _ = await _export(api, "/export/nodes.csv")
    rows = {r["Id"]: r for r in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}
    assert rows["ORG-B1"]["stale"] == "false"
    await store.claim_item("ITEM-J1", "ORG-B1", 1, "2024-01-01", "C-2")  # the hospital's item: street B changed
    _, body, _ = await _export(api, "/export/nodes.csv")
    rows = {r["Id"]: r for r in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}
    assert rows["ORG-B1"]["stale"] == "true" and rows["ORG-A1"]["betweenness"] == rows["ORG-A1"]["stale"] == ""


def test_schema_names_the_dashboard_depends_on() -> None:
    from service.api.export_schema import sdl

    text = " ".join(sdl().split())
    for expected in (
        "enum CentralityMetric { DEGREE BETWEENNESS PAGERANK CLOSENESS }",
        "centrality(metric: CentralityMetric!, regionId: ID = null, top: Int = 20): [UnitScore!]!",
        "communities(regionId: ID = null): CommunityReport!",
        "brokers(regionId: ID = null, top: Int = 20): [Broker!]!",
        "coverageGaps(regionId: ID = null, unclaimedDays: Int = 90): CoverageGaps!",
        "type UnitScore { unit: Unit! score: Float! rank: Int! }",
        "splitSizes: [Int!]!", "modularity: Float!", "analytics: UnitAnalytics", "stale: Boolean!",
    ):
        assert expected in text, expected
