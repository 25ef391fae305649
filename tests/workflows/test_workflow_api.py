"""The workflows over GraphQL on both stores: the demo figures, access rules, masking, errors."""

from __future__ import annotations

import asyncio

from service.demo import generate, load_dataset
from service.graph.port import GraphStore
from tests.api.conftest import Api, ApiFactory
from tests.workflows import wish_graph
from tests.workflows.wish_graph import COMM_A1, COMM_B1

FUNNEL = """query($r: ID, $from: String, $to: String) { wishFunnel(regionId: $r, from: $from, to: $to) {
  published dispatched accepted fulfilled rated cancelled contributors warehouseFulfilled medianDaysToFulfil } }"""


async def test_conghua_demo_reproduces_the_seed(store: GraphStore, make_api: ApiFactory) -> None:
    data = generate("conghua")
    await load_dataset(store, data)
    api = await make_api()
    funnel = (await api.gql(FUNNEL, role="analyst"))["wishFunnel"]
    assert (funnel["published"], funnel["accepted"], funnel["fulfilled"], funnel["contributors"]) == \
        (440, 360, 321, 1592)
    assert funnel["rated"] == 250 and funnel["cancelled"] == 20 and funnel["warehouseFulfilled"] > 0
    assert 0 < funnel["medianDaysToFulfil"] <= 30
    stats = (await api.gql("{ reportingStats { units members byCommunity { community { id } members units } } }",
                           role="viewer"))["reportingStats"]
    assert (stats["units"], stats["members"]) == (221, 10254)
    assert len(stats["byCommunity"]) == 221 and sum(c["members"] for c in stats["byCommunity"]) == 10254


async def test_baiyun_demo_meeting_figures(store: GraphStore, make_api: ApiFactory) -> None:
    await load_dataset(store, generate("baiyun"))
    api = await make_api()
    stats = (await api.gql("""{ meetingStats(asOf: "2023-06-30") { meetings matters importantMatters mattersDone
        overdue completionRate perAlliance { alliance { id } meetings byMonth { month meetings } } } }""",
                           role="analyst"))["meetingStats"]
    assert (stats["meetings"], stats["importantMatters"], stats["mattersDone"]) == (1925, 321, 2159)
    assert stats["completionRate"] == round(2159 / stats["matters"], 4)
    assert sum(a["meetings"] for a in stats["perAlliance"]) == 1925
    monthly = next(a for a in stats["perAlliance"] if len(a["byMonth"]) == 11)  # a 大党委 meets monthly
    assert all(m["meetings"] == 1 for m in monthly["byMonth"])


async def _wish_api(store: GraphStore, make_api: ApiFactory) -> Api:
    await wish_graph.build(store)
    return await make_api()


PUBLISH = """mutation($id: ID!, $r: ID!) { publishWish(id: $id, title: "冬季棉被一床", regionId: $r,
  category: "生活用品", publishedOn: "2021-11-01", recipient: "朱某某", recipientPhone: "13800001111") {
  changed previousStatus wish { id status recipient recipientPhone } } }"""


async def test_wish_lifecycle_over_graphql(store: GraphStore, make_api: ApiFactory) -> None:
    api = await _wish_api(store, make_api)
    made = (await api.gql(PUBLISH, {"id": "W-1", "r": COMM_A1}, role="importer"))["publishWish"]
    assert made["changed"] and made["wish"]["status"] == "PUBLISHED"
    assert made["wish"]["recipient"] is None and made["wish"]["recipientPhone"] is None  # importer is not admin
    await api.gql('mutation { dispatchWish(wishId: "W-1", organisationId: "ORG-A1", on: "2021-11-02") '
                  '{ wish { status } } }', role="importer")
    race = await asyncio.gather(*(api.post(f'mutation {{ acceptWish(wishId: "W-1", acceptorId: "{a}", '
                                           f'on: "2021-11-03") {{ wish {{ status }} }} }}', role="importer")
                                  for a in ("M-1", "M-2", "ORG-TAX")))
    bodies = [r.json() for r in race]
    assert sum("errors" not in b for b in bodies) == 1
    lost = [b["errors"][0] for b in bodies if "errors" in b]
    assert all(e["extensions"]["code"] == "ILLEGAL_STATE" and "is ACCEPTED" in e["message"] for e in lost)
    done = await api.gql(f'mutation {{ fulfilWish(wishId: "W-1", on: "2021-11-08", warehouseId: '
                         f'"{wish_graph.WAREHOUSE}", supply: AT_COST) {{ previousStatus wish {{ status }} }} }}',
                         role="admin")
    assert done["fulfilWish"] == {"previousStatus": "ACCEPTED", "wish": {"status": "FULFILLED"}}
    err = await api.error('mutation { cancelWish(wishId: "W-1") { wish { status } } }', role="admin")
    assert err["extensions"]["code"] == "ILLEGAL_STATE" and "is FULFILLED; cannot cancel" in err["message"]
    rated = await api.gql('mutation { rateWish(wishId: "W-1", rating: 5, comment: "谢谢") '
                          '{ wish { status rating recipient } } }', role="admin")
    assert rated["rateWish"]["wish"] == {"status": "RATED", "rating": 5.0, "recipient": "朱某某"}
    funnel = (await api.gql(FUNNEL, {"r": COMM_A1, "from": "2021-11-01"}, role="viewer"))["wishFunnel"]
    assert (funnel["published"], funnel["rated"], funnel["warehouseFulfilled"], funnel["medianDaysToFulfil"]) == \
        (1, 1, 1, 7.0)
    listed = await api.gql('{ wishes(status: RATED) { totalCount nodes { id recipient } } }', role="analyst")
    assert listed["wishes"] == {"totalCount": 1, "nodes": [{"id": "W-1", "recipient": None}]}


async def test_workflow_access_rules(store: GraphStore, make_api: ApiFactory) -> None:
    api = await _wish_api(store, make_api)
    for role in ("viewer", "analyst"):
        err = await api.error(PUBLISH, {"id": "W-2", "r": COMM_A1}, role=role)
        assert err["extensions"]["code"] == "FORBIDDEN"
    # a street-scoped importer writes only inside its street
    err = await api.error(PUBLISH, {"id": "W-3", "r": COMM_B1}, role="street_importer")
    assert err["extensions"]["code"] == "FORBIDDEN"
    await api.gql(PUBLISH, {"id": "W-4", "r": COMM_A1}, role="street_importer")
    await api.gql(PUBLISH, {"id": "W-5", "r": COMM_B1}, role="importer")
    scoped = (await api.gql(FUNNEL, role="street"))["wishFunnel"]
    assert scoped["published"] == 1  # W-5 lies in the other street
    err = await api.error(FUNNEL, {"r": wish_graph.small_graph.STREET_B}, role="street")
    assert err["extensions"]["code"] == "FORBIDDEN"
    err = await api.error('mutation { dispatchWish(wishId: "W-5", organisationId: "ORG-B1") { changed } }',
                          role="street_importer")
    assert err["extensions"]["code"] == "NOT_FOUND" or err["extensions"]["code"] == "FORBIDDEN"


async def test_meetings_reporting_grids_health_over_graphql(store: GraphStore, make_api: ApiFactory) -> None:
    api = await _wish_api(store, make_api)
    recorded = await api.gql("""mutation { recordMeeting(input: {id: "MTG-1", allianceId: "ALL-STA",
        heldOn: "2022-09-15", topic: "季度联席会议", attendeeIds: ["ORG-STA", "ORG-TAX"], chairId: "ORG-A1",
        matters: [{id: "MAT-1", title: "停车难", mode: IMPORTANT}]}) { created matters { id status mode } } }""",
                             role="importer")
    assert recorded["recordMeeting"] == {"created": True,
                                         "matters": [{"id": "MAT-1", "status": "OPEN", "mode": "IMPORTANT"}]}
    err = await api.error('mutation { completeMatter(matterId: "MAT-1") { previousStatus } }', role="importer")
    assert err["extensions"]["code"] == "ILLEGAL_STATE" and "no unit is responsible" in err["message"]
    await api.gql('mutation { assignMatter(matterId: "MAT-1", organisationId: "ORG-TAX", due: "2022-10-01", '
                  'person: "王书记") { matter { status } } }', role="importer")
    stats = (await api.gql('{ meetingStats(asOf: "2022-12-01") { meetings matters importantMatters overdue '
                           'completionRate } }', role="viewer"))["meetingStats"]
    assert stats == {"meetings": 1, "matters": 1, "importantMatters": 1, "overdue": 1, "completionRate": 0.0}
    overdue = await api.gql('{ matters(overdueOn: "2022-12-01") { totalCount nodes { id } } }', role="viewer")
    assert overdue["matters"]["nodes"] == [{"id": "MAT-1"}]
    await api.gql('mutation { completeMatter(matterId: "MAT-1", on: "2022-09-30") { matter { doneOn } } }',
                  role="importer")
    report = await api.gql('mutation { reportToCommunity(memberId: "M-1", organisationId: "ORG-A1", '
                           'post: "文明劝导岗") { created post } }', role="importer")
    assert report["reportToCommunity"] == {"created": True, "post": "文明劝导岗"}
    reporting = await api.gql('{ reportingStats { units members byUnit { unit { id } members } } '
                              'unreportedMembers(unitId: "ORG-HOSP") { id name } }', role="viewer")
    assert reporting["reportingStats"] == {"units": 1, "members": 1,
                                           "byUnit": [{"unit": {"id": "ORG-TAX"}, "members": 1}]}
    assert reporting["unreportedMembers"] == [{"id": "M-2", "name": "李*"}]  # masked for the viewer
    health = (await api.gql('{ organisationHealth(asOf: "2027-03-01") { branchesTooSmall { organisation { id } '
                            'fullMembers } quietAlliances { alliance { id } lastHeldOn } '
                            'overdueAgreements { id } } gridCoverage { grids } }', role="analyst"))
    assert [b["organisation"]["id"] for b in health["organisationHealth"]["branchesTooSmall"]] == \
        ["ORG-A2", "ORG-ENT", "ORG-TAX"]
    assert health["organisationHealth"]["quietAlliances"] == [{"alliance": {"id": "ALL-STA"},
                                                               "lastHeldOn": "2022-09-15"}]
    assert health["organisationHealth"]["overdueAgreements"] == [{"id": "AGR-1"}]
    assert health["gridCoverage"] == []
