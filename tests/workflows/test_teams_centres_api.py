"""Grids, teams and service centres over GraphQL on both stores: the upserts and links, the listings,
the access rules (writers only, a region-scoped key only inside its region) and the errors."""

from __future__ import annotations

from typing import Any

from service.graph.port import GraphStore
from service.graph.types import RelRow
from service.model import Label, RelType
from tests.api.conftest import Api, ApiFactory
from tests.contract import small_graph
from tests.contract.small_graph import COMM_A1, COMM_A2, COMM_B1, STREET_A, STREET_B

GRID_A1, GRID_B1 = f"{COMM_A1}001", f"{COMM_B1}001"

TEAMS = """mutation($rows: [TeamInput!]!) { upsertTeams(rows: $rows) { created updated unchanged } }"""
CENTRES = """mutation($rows: [ServiceCentreInput!]!) { upsertServiceCentres(rows: $rows) {
  created updated unchanged } }"""
LIST_TEAMS = """query($r: ID, $kind: TeamKind, $first: Int, $after: String) {
  teams(regionId: $r, kind: $kind, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id name kind organisedBy { id } members { id } } } }"""
LIST_CENTRES = """query($r: ID) { serviceCentres(regionId: $r) {
  totalCount nodes { id name offers areaM2 region { id } runBy { id } } } }"""
JOIN = """mutation($m: ID!, $t: ID!) { joinTeam(memberId: $m, teamId: $t) { created memberId team { id } } }"""
DUTY = """mutation($m: ID!, $g: ID!) { assignGridDuty(memberId: $m, gridId: $g) { created memberId grid { id } } }"""


def _team(id: str, name: str, kind: str, organiser: str) -> dict[str, str]:
    return {"id": id, "name": name, "kind": kind, "organiserId": organiser}


async def _api(store: GraphStore, make_api: ApiFactory) -> Api:
    await small_graph.build(store)
    await store.upsert_nodes(Label.REGION, [{"id": GRID_A1, "name": "红山一网格", "level": "GRID", "gridLevel": 2},
                                            {"id": GRID_B1, "name": "西站一网格", "level": "GRID", "gridLevel": 2}])
    await store.upsert_relationships(RelType.PART_OF, Label.REGION, Label.REGION,
                                     [RelRow(GRID_A1, COMM_A1), RelRow(GRID_B1, COMM_B1)])
    return await make_api()


async def _code(api: Api, query: str, variables: dict[str, Any], role: str) -> str:
    return str((await api.error(query, variables, role=role))["extensions"]["code"])


async def test_teams_upsert_join_and_list(store: GraphStore, make_api: ApiFactory) -> None:
    api = await _api(store, make_api)
    rows = [_team("TEAM-1", "A 红山环境整治突击队", "COMMANDO", "ORG-A1"),
            _team("TEAM-2", "B 西站志愿服务队", "VOLUNTEER", "ORG-B1"),
            _team("TEAM-3", "C 街道治理智囊团", "THINK_TANK", "ORG-STA")]
    made = await api.gql(TEAMS, {"rows": rows}, role="importer")
    assert made["upsertTeams"] == {"created": 3, "updated": 0, "unchanged": 0}
    again = await api.gql(TEAMS, {"rows": rows}, role="importer")
    assert again["upsertTeams"] == {"created": 0, "updated": 0, "unchanged": 3}
    # a new organiser replaces the old one (a team is organised by one unit)
    await api.gql(TEAMS, {"rows": [_team("TEAM-1", "A 红山环境整治突击队", "COMMANDO", "ORG-A2")]}, role="importer")
    joined = await api.gql(JOIN, {"m": "M-1", "t": "TEAM-1"}, role="importer")
    assert joined["joinTeam"] == {"created": True, "memberId": "M-1", "team": {"id": "TEAM-1"}}
    assert (await api.gql(JOIN, {"m": "M-1", "t": "TEAM-1"}, role="admin"))["joinTeam"]["created"] is False
    await api.gql(JOIN, {"m": "M-2", "t": "TEAM-2"}, role="importer")

    page = (await api.gql(LIST_TEAMS, {"r": STREET_A, "first": 1}, role="viewer"))["teams"]
    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"]
    assert page["nodes"] == [{"id": "TEAM-1", "name": "A 红山环境整治突击队", "kind": "COMMANDO",
                              "organisedBy": {"id": "ORG-A2"}, "members": [{"id": "M-1"}]}]
    rest = (await api.gql(LIST_TEAMS, {"r": STREET_A, "after": page["pageInfo"]["endCursor"]}, role="viewer"))
    assert [n["id"] for n in rest["teams"]["nodes"]] == ["TEAM-3"] and not rest["teams"]["pageInfo"]["hasNextPage"]
    everything = (await api.gql(LIST_TEAMS, {}, role="analyst"))["teams"]
    assert [n["id"] for n in everything["nodes"]] == ["TEAM-1", "TEAM-2", "TEAM-3"]
    volunteers = (await api.gql(LIST_TEAMS, {"kind": "VOLUNTEER"}, role="viewer"))["teams"]
    assert [n["id"] for n in volunteers["nodes"]] == ["TEAM-2"]
    scoped = (await api.gql(LIST_TEAMS, {}, role="street"))["teams"]  # the key's street only
    assert [n["id"] for n in scoped["nodes"]] == ["TEAM-1", "TEAM-3"]
    assert await _code(api, LIST_TEAMS, {"r": STREET_B}, "street") == "FORBIDDEN"

    # errors: unknown organiser or member, an id taken by another kind of node, a kind outside the enum
    assert await _code(api, TEAMS, {"rows": [_team("TEAM-9", "x", "VOLUNTEER", "ORG-NONE")]}, "importer") == \
        "NOT_FOUND"
    assert await _code(api, JOIN, {"m": "M-404", "t": "TEAM-1"}, "importer") == "NOT_FOUND"
    assert await _code(api, JOIN, {"m": "M-1", "t": "ORG-A1"}, "importer") == "NOT_FOUND"
    assert await _code(api, TEAMS, {"rows": [_team("ORG-A1", "x", "VOLUNTEER", "ORG-A1")]}, "importer") == \
        "CONFLICT"
    bad_kind = await api.post(TEAMS, {"rows": [_team("TEAM-9", "x", "CHOIR", "ORG-A1")]}, role="importer")
    assert "errors" in bad_kind.json()
    assert await store.get_node("TEAM-9") is None


async def test_team_writes_need_a_writer_inside_its_region(store: GraphStore, make_api: ApiFactory) -> None:
    api = await _api(store, make_api)
    await api.gql(TEAMS, {"rows": [_team("TEAM-2", "西站志愿服务队", "VOLUNTEER", "ORG-B1")]}, role="importer")
    for role in ("viewer", "analyst"):
        assert await _code(api, TEAMS, {"rows": [_team("TEAM-1", "x", "VOLUNTEER", "ORG-A1")]}, role) == "FORBIDDEN"
        assert await _code(api, JOIN, {"m": "M-1", "t": "TEAM-2"}, role) == "FORBIDDEN"
    # the street-A importer: an organiser in street B, a team already in street B (even when moved into
    # street A) and joining that team are all refused; nothing was written
    imp = "street_importer"
    assert await _code(api, TEAMS, {"rows": [_team("TEAM-1", "x", "VOLUNTEER", "ORG-B1")]}, imp) == "FORBIDDEN"
    assert await _code(api, TEAMS, {"rows": [_team("TEAM-2", "x", "VOLUNTEER", "ORG-A1")]}, imp) == "FORBIDDEN"
    assert await _code(api, JOIN, {"m": "M-1", "t": "TEAM-2"}, imp) == "FORBIDDEN"
    assert await store.get_node("TEAM-1") is None
    team2 = await store.get_node("TEAM-2")
    assert team2 is not None and team2.props["name"] == "西站志愿服务队"
    assert [r.node.id for r in await store.related(["TEAM-2"], RelType.ORGANISED_BY, outgoing=True)] == ["ORG-B1"]
    assert await store.related(["TEAM-2"], RelType.SERVES_IN, outgoing=False) == []
    # inside its street it writes, and a member of a unit elsewhere may join (they serve where they live)
    made = await api.gql(TEAMS, {"rows": [_team("TEAM-1", "红山突击队", "COMMANDO", "ORG-A1")]}, role=imp)
    assert made["upsertTeams"]["created"] == 1
    assert (await api.gql(JOIN, {"m": "M-2", "t": "TEAM-1"}, role=imp))["joinTeam"]["created"] is True


async def test_grid_duties(store: GraphStore, make_api: ApiFactory) -> None:
    api = await _api(store, make_api)
    duty = await api.gql(DUTY, {"m": "M-1", "g": GRID_A1}, role="importer")
    assert duty["assignGridDuty"] == {"created": True, "memberId": "M-1", "grid": {"id": GRID_A1}}
    assert (await api.gql(DUTY, {"m": "M-1", "g": GRID_A1}, role="importer"))["assignGridDuty"]["created"] is False
    coverage = (await api.gql("{ gridCoverage { region { id } grids withResponsible } }", role="viewer"))
    assert coverage["gridCoverage"][0] == {"region": None, "grids": 2, "withResponsible": 1}
    err = await api.error(DUTY, {"m": "M-1", "g": COMM_A1}, role="importer")
    assert err["extensions"]["code"] == "VALIDATION" and "not a grid" in err["message"]
    assert await _code(api, DUTY, {"m": "M-404", "g": GRID_A1}, "importer") == "NOT_FOUND"
    assert await _code(api, DUTY, {"m": "M-1", "g": "NOPE"}, "importer") == "NOT_FOUND"
    assert await _code(api, DUTY, {"m": "M-2", "g": GRID_A1}, "viewer") == "FORBIDDEN"
    assert await _code(api, DUTY, {"m": "M-2", "g": GRID_B1}, "street_importer") == "FORBIDDEN"
    assert (await api.gql(DUTY, {"m": "M-2", "g": GRID_A1}, role="street_importer"))["assignGridDuty"]["created"]
    assert {r.source_id for r in await store.related(["M-1", "M-2"], RelType.RESPONSIBLE_FOR, outgoing=True)} == \
        {"M-1", "M-2"}
    assert await store.related([GRID_B1], RelType.RESPONSIBLE_FOR, outgoing=False) == []


async def test_service_centres(store: GraphStore, make_api: ApiFactory) -> None:
    api = await _api(store, make_api)
    centre = {"id": "SC-1", "name": "红山社区党群服务站", "regionId": COMM_A1, "runById": "ORG-A1", "areaM2": 600,
              "offers": ["政策咨询", " 法律援助 ", "政策咨询", ""]}
    made = await api.gql(CENTRES, {"rows": [centre, {"id": "SC-2", "name": "西站党群服务中心", "regionId": COMM_B1}]},
                         role="importer")
    assert made["upsertServiceCentres"] == {"created": 2, "updated": 0, "unchanged": 0}
    listed = (await api.gql(LIST_CENTRES, {"r": STREET_A}, role="viewer"))["serviceCentres"]
    assert listed == {"totalCount": 1, "nodes": [{"id": "SC-1", "name": "红山社区党群服务站", "areaM2": 600.0,
                                                  "offers": ["政策咨询", "法律援助"], "region": {"id": COMM_A1},
                                                  "runBy": {"id": "ORG-A1"}}]}
    # moved to the next community: the new region replaces the old; offers left out stay as they were
    moved = await api.gql(CENTRES, {"rows": [{"id": "SC-1", "name": "红山社区党群服务站", "regionId": COMM_A2}]},
                          role="street_importer")
    assert moved["upsertServiceCentres"] == {"created": 0, "updated": 0, "unchanged": 1}
    node = (await api.gql(LIST_CENTRES, {"r": COMM_A2}, role="street"))["serviceCentres"]["nodes"][0]
    assert (node["region"], node["offers"]) == ({"id": COMM_A2}, ["政策咨询", "法律援助"])
    assert (await api.gql(LIST_CENTRES, {"r": COMM_A1}, role="viewer"))["serviceCentres"]["totalCount"] == 0
    assert [n["id"] for n in (await api.gql(LIST_CENTRES, {}, role="street"))["serviceCentres"]["nodes"]] == ["SC-1"]
    assert await _code(api, LIST_CENTRES, {"r": STREET_B}, "street") == "FORBIDDEN"

    imp = "street_importer"
    outside = [({"id": "SC-3", "name": "x", "regionId": COMM_B1}, imp),  # a region in the other street
               ({"id": "SC-3", "name": "x", "regionId": COMM_A1, "runById": "ORG-B1"}, imp),  # run from there
               ({"id": "SC-2", "name": "x", "regionId": COMM_A1}, imp),  # moving the other street's centre
               ({"id": "SC-3", "name": "x", "regionId": COMM_A1}, "viewer"),
               ({"id": "SC-3", "name": "x", "regionId": COMM_A1}, "analyst")]
    for row, role in outside:
        assert await _code(api, CENTRES, {"rows": [row]}, role) == "FORBIDDEN", (row, role)
    assert await store.get_node("SC-3") is None
    assert [r.node.id for r in await store.related(["SC-2"], RelType.IN, outgoing=True)] == [COMM_B1]
    err = await api.error(CENTRES, {"rows": [{"id": "SC-4", "name": "x", "regionId": COMM_A1, "areaM2": -1}]},
                          role="importer")
    assert err["extensions"]["code"] == "VALIDATION" and "must not be negative" in err["message"]
    assert await _code(api, CENTRES, {"rows": [{"id": "SC-4", "name": "x", "regionId": "NOPE"}]}, "importer") == \
        "NOT_FOUND"
    twice = [{"id": "SC-4", "name": "x", "regionId": COMM_A1}, {"id": "SC-4", "name": "y", "regionId": COMM_A2}]
    assert await _code(api, CENTRES, {"rows": twice}, "importer") == "VALIDATION"
    assert await store.get_node("SC-4") is None


async def test_teams_and_centres_need_existing_organisers_and_regions(store: GraphStore, make_api: ApiFactory) -> None:
    """The linked nodes are checked before anything is written (a generator of ids was read twice,
    so the check saw none and the store's own refusal answered instead)."""
    api = await _api(store, make_api)
    assert await _code(api, TEAMS, {"rows": [_team("T-X", "无主队", "VOLUNTEER", "ORG-NOPE")]}, "admin") == "NOT_FOUND"
    centre = {"id": "SC-X", "name": "无处中心", "regionId": "650199", "runById": "ORG-A1"}
    assert await _code(api, CENTRES, {"rows": [centre]}, "admin") == "NOT_FOUND"
    assert await store.get_node("T-X") is None and await store.get_node("SC-X") is None
