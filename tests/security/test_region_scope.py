"""Region scope on every write and every aggregate, on both stores (issue 18, part 2).

A street-A importer key (`street_importer`) tries every mutation of the served schema against nodes of
street B, and moves nodes into and out of its street: each is FORBIDDEN and the whole graph reads back
unchanged. The same key's own writes go through. A file with rows of both streets loads street A's
rows and rejects street B's with the reason. reportingStats and regionStats for a street key equal a
recomputation from the admin's unscoped reads restricted to the street."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLSchema

from loaders.engine import Options, load_file
from service.api.schema import build_schema
from service.graph.port import GraphStore
from service.graph.types import Query
from service.model import Label, RelType
from tests.api.conftest import Api, ApiFactory, make_api  # noqa: F401  (fixtures)
from tests.security import region_fixtures
from tests.security.region_fixtures import COMM_A1, COMM_B1, ENTERPRISE_B, GRID_B, STREET_A

Snapshot = tuple[frozenset[tuple[str, str, str]], frozenset[tuple[str, str, str, str]]]


async def snapshot(store: GraphStore) -> Snapshot:
    """Every node with its properties and every relationship with its properties, as comparable sets."""
    nodes: set[tuple[str, str, str]] = set()
    for label in Label:
        if label is Label.AUDIT_RECORD:  # a refused write is recorded (service/audit.py): the data is unchanged
            continue
        after = None
        while True:
            page = await store.list_nodes(Query(label, first=1000, after=after))
            nodes.update((n.id, label.value, repr(sorted(n.props.items()))) for n in page.items)
            if not page.has_next:
                break
            after = page.end_cursor
    ids = sorted(i for i, _, _ in nodes)
    rels = {(r.source_id, t.value, r.node.id, repr(sorted(r.props.items())))
            for t in RelType for r in await store.related(ids, t, True)}
    return frozenset(nodes), frozenset(rels)


@pytest.fixture
async def api(store: GraphStore, make_api: ApiFactory) -> Api:  # noqa: F811
    await region_fixtures.build(store)
    return await make_api()


def _rows(name: str, rows: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    kind = {"upsertOrganisations": "OrganisationInput", "upsertEnterprises": "EnterpriseInput",
            "upsertMembers": "MemberInput", "upsertTeams": "TeamInput",
            "upsertServiceCentres": "ServiceCentreInput"}[name]
    return f"mutation($rows: [{kind}!]!) {{ {name}(rows: $rows) {{ created updated }} }}", {"rows": rows}


ORG = {"kind": "COMMUNITY", "level": "COMMITTEE"}
MEETING = """mutation($input: RecordMeetingInput!) { recordMeeting(input: $input) { created } }"""
SIGN = """mutation($input: SignAgreementInput!) { signAgreement(input: $input) { created } }"""


def _meeting(**kw: Any) -> tuple[str, dict[str, Any]]:
    return MEETING, {"input": {"id": "MTG-NEW", "allianceId": "ALL-STA", "heldOn": "2024-04-01", **kw}}


def _sign(agreement: str, a: str, b: str, items: tuple[str, ...] = ()) -> tuple[str, dict[str, Any]]:
    return SIGN, {"input": {"id": agreement, "title": "共建协议", "kind": "CO_BUILDING", "signedOn": "2024-04-01",
                            "parties": [{"unitId": a, "role": "甲方"}, {"unitId": b, "role": "乙方"}],
                            "itemIds": list(items)}}


def _call(text: str) -> tuple[str, dict[str, Any]]:
    return f"mutation {{ {text} }}", {}


# Per mutation, writes of a street-A key that touch street B: each must be FORBIDDEN with nothing written.
CROSSING: dict[str, list[tuple[str, tuple[str, dict[str, Any]]]]] = {
    "upsertOrganisations": [
        ("rename another street's organisation",
         _rows("upsertOrganisations", [{"id": "ORG-B1", "name": "改名", **ORG}])),
        ("move another street's organisation in",
         _rows("upsertOrganisations", [{"id": "ORG-B1", "name": "西站社区党委", "regionId": COMM_A1, **ORG}])),
        ("move an own organisation out",
         _rows("upsertOrganisations", [{"id": "ORG-A1", "name": "红山社区党委", "regionId": COMM_B1, **ORG}])),
        ("put an own organisation under another street's",
         _rows("upsertOrganisations", [{"id": "ORG-A2", "name": "青山社区党支部", "kind": "COMMUNITY",
                                        "level": "BRANCH", "parentId": "ORG-B1"}])),
        ("create one in another street",
         _rows("upsertOrganisations", [{"id": "ORG-NEW", "name": "新", "regionId": COMM_B1, **ORG}])),
    ],
    "upsertEnterprises": [
        ("rename another street's enterprise", _rows("upsertEnterprises", [{"id": ENTERPRISE_B, "name": "改名"}])),
        ("move another street's enterprise in",
         _rows("upsertEnterprises", [{"id": ENTERPRISE_B, "name": "西站物流有限公司", "regionId": COMM_A1}])),
        ("move an own enterprise out",
         _rows("upsertEnterprises", [{"id": region_fixtures.small_graph.ENTERPRISE, "name": "新疆天山物业服务有限公司",
                                      "regionId": COMM_B1}])),
    ],
    "upsertMembers": [
        ("move another street's member in",
         _rows("upsertMembers", [{"id": "M-2", "name": "李娜", "organisationId": "ORG-A1"}])),
        ("rename another street's member", _rows("upsertMembers", [{"id": "M-2", "name": "改名",
                                                                     "organisationId": "ORG-HOSP"}])),
        ("move an own member out", _rows("upsertMembers", [{"id": "M-1", "name": "张伟", "organisationId": "ORG-B1"}])),
    ],
    "signAgreement": [
        ("re-sign another street's agreement with own parties", _sign("AGR-4", "ORG-A1", "ORG-TAX")),
        ("sign with a party of another street", _sign("AGR-NEW", "ORG-A1", "ORG-HOSP")),
        ("include another street's item", _sign("AGR-NEW", "ORG-A1", "ORG-TAX", ("ITEM-J1",))),
    ],
    "claimItem": [
        ("claim another street's item", _call('claimItem(itemId: "ITEM-J1", claimantId: "ORG-A1") { id }')),
        ("claim for another street's unit", _call('claimItem(itemId: "ITEM-P1", claimantId: "ORG-B1") { id }')),
    ],
    "releaseClaim": [
        ("release another street's unit's claim",
         _call('releaseClaim(claimId: "CLAIM-B-ON-A", itemId: "ITEM-P1") { id }')),
    ],
    "upsertTeams": [
        ("move another street's team in",
         _rows("upsertTeams", [{"id": "TEAM-B", "name": "西站志愿队", "kind": "VOLUNTEER", "organiserId": "ORG-A1"}])),
        ("move an own team out",
         _rows("upsertTeams", [{"id": "TEAM-A", "name": "红山志愿队", "kind": "VOLUNTEER", "organiserId": "ORG-B1"}])),
    ],
    "joinTeam": [("join another street's team", _call('joinTeam(memberId: "M-1", teamId: "TEAM-B") { created }'))],
    "upsertServiceCentres": [
        ("move another street's centre in",
         _rows("upsertServiceCentres", [{"id": "SC-B", "name": "西站党群服务中心", "regionId": COMM_A1}])),
        ("run by another street's organisation",
         _rows("upsertServiceCentres", [{"id": "SC-NEW", "name": "新中心", "regionId": COMM_A1,
                                         "runById": "ORG-B1"}])),
    ],
    "assignGridDuty": [
        ("duty in another street's grid", _call(f'assignGridDuty(memberId: "M-1", gridId: "{GRID_B}") {{ created }}')),
    ],
    "reportToCommunity": [
        ("report to another street's community",
         _call('reportToCommunity(memberId: "M-1", organisationId: "ORG-B1") { created }')),
    ],
    "publishWish": [
        ("publish in another street", _call(f'publishWish(id: "W-NEW", title: "x", regionId: "{COMM_B1}") '
                                            '{ changed }')),
        ("publish again another street's wish id", _call(f'publishWish(id: "WISH-B", title: "x", '
                                                         f'regionId: "{COMM_A1}") {{ changed wish {{ title }} }}')),
    ],
    "dispatchWish": [
        ("dispatch another street's wish", _call('dispatchWish(wishId: "WISH-B", organisationId: "ORG-A1") '
                                                 '{ changed }')),
        ("dispatch to another street's organisation",
         _call('dispatchWish(wishId: "WISH-A", organisationId: "ORG-B1") { changed }')),
    ],
    "acceptWish": [
        ("accept for another street's unit", _call('acceptWish(wishId: "WISH-A", acceptorId: "ORG-HOSP") '
                                                   '{ changed }')),
    ],
    "fulfilWish": [
        ("fulfil another street's wish", _call('fulfilWish(wishId: "WISH-B") { changed }')),
        ("a contributor of another street", _call('fulfilWish(wishId: "WISH-A2", contributorIds: ["ORG-B1"]) '
                                                  '{ changed }')),
        ("a warehouse of another street", _call(f'fulfilWish(wishId: "WISH-A2", warehouseId: "{ENTERPRISE_B}") '
                                                '{ changed }')),
    ],
    "rateWish": [("rate another street's wish", _call('rateWish(wishId: "WISH-B", rating: 5) { changed }'))],
    "cancelWish": [("cancel another street's wish", _call('cancelWish(wishId: "WISH-B") { changed }'))],
    "recordMeeting": [
        ("a meeting of another street's alliance", _meeting(allianceId="ALL-B")),
        ("an attendee of another street", _meeting(attendeeIds=["ORG-A1", "ORG-B1"])),
        ("a chair of another street", _meeting(chairId="ORG-HOSP")),
        ("a matter assigned to another street", _meeting(matters=[{"id": "MAT-NEW", "title": "x",
                                                                    "mode": "MAJOR", "organisationId": "ORG-B1"}])),
        ("record again another street's meeting id", (MEETING, {"input": {"id": "MTG-B", "allianceId": "ALL-STA",
                                                                          "heldOn": "2024-03-01"}})),
    ],
    "assignMatter": [
        ("assign another street's matter", _call('assignMatter(matterId: "MAT-B", organisationId: "ORG-A1", '
                                                 'due: "2024-12-31") { previousStatus }')),
        ("assign to another street's organisation",
         _call('assignMatter(matterId: "MAT-A", organisationId: "ORG-B1", due: "2024-12-31") { previousStatus }')),
    ],
    "completeMatter": [("complete another street's matter", _call('completeMatter(matterId: "MAT-B") '
                                                                  '{ previousStatus }'))],
    "withdraw": [
        ("withdraw another street's item", _call('withdraw(id: "ITEM-J1", reason: "x") { id }')),
        ("withdraw another street's organisation", _call('withdraw(id: "ORG-B1", reason: "x") { id }')),
        ("withdraw another street's agreement", _call('withdraw(id: "AGR-4", reason: "x") { id }')),
    ],
}

# Mutations that write no data of the region tree, with the test that holds their region check.
TESTED_ELSEWHERE = {
    "runAnalysis": "tests/analytics/test_runs.py::test_a_region_key_analyses_only_inside_its_region",
    "mergeUnits": "tests/api/test_corrections.py::test_a_region_admin_merges_only_units_inside_its_region",
}


@cache
def served() -> GraphQLSchema:
    return build_schema()._schema


def test_every_mutation_is_tried() -> None:
    """A mutation added to the schema fails here until it has its crossing cases above."""
    mutation = served().mutation_type
    assert mutation is not None
    assert set(mutation.fields) == set(CROSSING) | set(TESTED_ELSEWHERE)
    assert not set(CROSSING) & set(TESTED_ELSEWHERE)


@pytest.mark.parametrize("name", list(CROSSING))
async def test_a_street_key_cannot_write_across_its_region(api: Api, store: GraphStore, name: str) -> None:
    """Each case of the mutation is refused and leaves the whole graph as it was (one graph per mutation:
    a refused write changes nothing, so the cases can share it)."""
    before = await snapshot(store)
    for doc, (query, variables) in CROSSING[name]:
        error = await api.error(query, variables, role="street_importer")
        assert error["extensions"]["code"] == "FORBIDDEN", (doc, error)
        assert STREET_A in error["message"], (doc, error)
        assert await snapshot(store) == before, f"{name} ({doc}) wrote although refused"


async def test_the_same_writes_inside_the_street_go_through(api: Api, store: GraphStore) -> None:
    """The rule is not a blanket refusal: renaming, moving within the street, signing, claiming and
    a member of a unit elsewhere reporting here (双报到) all work for the street key."""
    before = await snapshot(store)
    for query in (
        _rows("upsertOrganisations", [{"id": "ORG-A1", "name": "红山社区党委(新)", "regionId": COMM_A1, **ORG}]),
        _rows("upsertMembers", [{"id": "M-1", "name": "张伟", "organisationId": "ORG-A1"}]),
        _rows("upsertTeams", [{"id": "TEAM-A", "name": "红山志愿队", "kind": "VOLUNTEER", "organiserId": "ORG-A2"}]),
        _sign("AGR-NEW", "ORG-A1", "ORG-TAX", ("ITEM-N1",)),
        _call('claimItem(itemId: "ITEM-P2", claimantId: "ORG-A1", claimId: "CLAIM-A") { id }'),
        _call('dispatchWish(wishId: "WISH-A", organisationId: "ORG-A1") { changed }'),
        _call('joinTeam(memberId: "M-2", teamId: "TEAM-A") { created }'),  # M-2's unit is in street B
        _call('assignMatter(matterId: "MAT-A", organisationId: "ORG-TAX", due: "2024-12-31") { previousStatus }'),
        _meeting(attendeeIds=["ORG-A1", "ORG-TAX"]),
    ):
        await api.gql(query[0], query[1], role="street_importer")
    assert await snapshot(store) != before  # the snapshot sees writes: the refusals above are not vacuous
    assert (await store.get_node("ORG-A1") or pytest.fail("gone")).props["name"] == "红山社区党委(新)"
    assert [r.node.id for r in await store.related(["M-1"], RelType.BELONGS_TO, True)] == ["ORG-A1"]


async def test_a_moved_organisation_stays_in_one_region(api: Api, store: GraphStore) -> None:
    """The issue's case: before, ORG-B1 ended LOCATED_IN both streets."""
    query = _rows("upsertOrganisations", [{"id": "ORG-B1", "name": "西站社区党委", "regionId": COMM_A1, **ORG}])
    await api.error(*query, role="street_importer")
    assert [r.node.id for r in await store.related(["ORG-B1"], RelType.LOCATED_IN, True)] == [COMM_B1]


async def test_a_file_of_two_streets_loads_only_the_keys_rows(api: Api, store: GraphStore, tmp_path: Path) -> None:
    """Each kind's rows outside the region are rejected with the reason; the street's own rows are written."""
    orgs = tmp_path / "organisations.csv"
    orgs.write_text("id,name,kind,level,region\n"
                    f"ORG-A1,红山社区党委(改),COMMUNITY,COMMITTEE,{COMM_A1}\n"
                    f"ORG-B1,西站社区党委(改),COMMUNITY,COMMITTEE,{COMM_B1}\n"
                    f"ORG-N1,新建党支部,NON_PUBLIC,BRANCH,{COMM_A1}\n"
                    f"ORG-N2,外街党支部,NON_PUBLIC,BRANCH,{COMM_B1}\n"
                    f"ORG-A2,青山社区党支部,COMMUNITY,BRANCH,{COMM_B1}\n"
                    "ORG-N3,无区域党支部,NON_PUBLIC,BRANCH,\n", encoding="utf-8")
    report = await load_file(store, "organisations", orgs, Options(region_id=STREET_A))
    assert (report.created, report.updated, report.rejected) == (1, 1, 4), report.rejects
    reasons = {r.row: r.reason for r in report.rejects}
    assert set(reasons) == {3, 5, 6, 7}
    assert all("region" in reason for reason in reasons.values())
    assert "ORG-B1" in reasons[3] and COMM_B1 in reasons[5]
    names = {n.id: n.props.get("name") for n in await store.get_nodes(["ORG-A1", "ORG-B1", "ORG-N1", "ORG-N2"])}
    assert names == {"ORG-A1": "红山社区党委(改)", "ORG-B1": "西站社区党委", "ORG-N1": "新建党支部"}
    assert [r.node.id for r in await store.related(["ORG-A2"], RelType.LOCATED_IN, True)] == ["650106001002"]

    members = tmp_path / "members.csv"
    members.write_text("id,name,organisation\nM-1,张伟,ORG-A1\nM-2,李娜,ORG-A1\nM-9,王九,ORG-B1\nM-8,刘八,ORG-A2\n",
                       encoding="utf-8")
    report = await load_file(store, "members", members, Options(region_id=STREET_A))
    assert (report.created, report.rejected) == (1, 2), report.rejects
    assert {r.row for r in report.rejects} == {3, 4}
    assert [r.node.id for r in await store.related(["M-1"], RelType.BELONGS_TO, True)] == ["ORG-A1"]
    assert [r.node.id for r in await store.related(["M-2"], RelType.BELONGS_TO, True)] == ["ORG-HOSP"]
    assert await store.get_node("M-9") is None

    claims = tmp_path / "claims.csv"
    claims.write_text("item,claimant,quantity,on\nITEM-P2,ORG-A1,1,2024-05-01\n"
                      "ITEM-J1,ORG-A1,1,2024-05-01\nITEM-P2,ORG-B1,1,2024-05-01\n", encoding="utf-8")
    report = await load_file(store, "claims", claims, Options(region_id=STREET_A))
    assert (report.created, report.rejected) == (1, 2), report.rejects
    claimants = {r.node.id for r in await store.related(["ITEM-P2", "ITEM-J1"], RelType.CLAIMED, False)}
    assert claimants == {"ORG-A1"}


async def test_reporting_stats_name_and_count_only_the_streets_units(api: Api) -> None:
    query = """query($r: ID) { reportingStats(regionId: $r) { units members
      byCommunity { community { id } members units } byUnit { unit { id } members communities } } }"""
    whole = (await api.gql(query, {"r": STREET_A}))["reportingStats"]
    assert {u["unit"]["id"] for u in whole["byUnit"]} == {"ORG-TAX", "ORG-HOSP"}  # the fixture crosses streets
    listed = await api.gql('query($r: ID) { organisations(where: {regionId: $r}, first: 100) { nodes { id } } }',
                           {"r": STREET_A})
    inside = {o["id"] for o in listed["organisations"]["nodes"]}
    scoped = (await api.gql(query, {"r": None}, role="street"))["reportingStats"]
    own_units = [u for u in whole["byUnit"] if u["unit"]["id"] in inside]
    assert scoped["byUnit"] == own_units
    assert scoped["units"] == len(own_units)
    assert scoped["members"] == whole["members"]  # reports into the street's communities, whoever's members
    assert [c["community"]["id"] for c in scoped["byCommunity"]] == [c["community"]["id"] for c in whole["byCommunity"]]


async def test_region_stats_count_what_the_street_key_can_list(api: Api) -> None:
    stats = (await api.gql(f'{{ regionStats(regionId: "{STREET_A}") {{ total counts {{ label count }} }} }}',
                           role="street"))["regionStats"]
    per_label: dict[str, int] = {}
    for c in stats["counts"]:
        per_label[c["label"]] = per_label.get(c["label"], 0) + c["count"]
    listed = await api.gql("""{ organisations(first: 100) { totalCount } enterprises(first: 100) { totalCount }
      agreements(first: 100) { totalCount } alliances(first: 100) { totalCount } }""", role="street")
    for field, label in (("organisations", "Organisation"), ("enterprises", "Enterprise"),
                         ("agreements", "Agreement"), ("alliances", "Alliance")):
        assert per_label.get(label, 0) == listed[field]["totalCount"], label
    error = await api.error(f'{{ regionStats(regionId: "{region_fixtures.STREET_B}") {{ total }} }}', role="street")
    assert error["extensions"]["code"] in {"FORBIDDEN", "NOT_FOUND"}


def _selection(type_: Any, depth: int = 0) -> str:
    """Every field without required arguments of an aggregate's type: its scalars and its own objects' scalars
    (a listed node's scalars, not its neighbours); unions and interfaces by __typename and id."""
    from graphql import GraphQLInterfaceType, GraphQLObjectType, GraphQLUnionType, get_named_type, is_required_argument

    named = get_named_type(type_)
    if isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
        return "{ __typename " + " ".join(f"... on {t.name} {{ id }}" for t in named.types) + " }" \
            if isinstance(named, GraphQLUnionType) else "{ __typename id }"
    if not isinstance(named, GraphQLObjectType):
        return ""
    parts = []
    for name, field in named.fields.items():
        if any(is_required_argument(a) for a in field.args.values()):
            continue
        inner = get_named_type(field.type)
        if isinstance(inner, GraphQLObjectType | GraphQLUnionType | GraphQLInterfaceType):
            # the aggregate's own objects; not the nodes' neighbours, which the key's read scope filters
            if depth < 2 and (depth < 1 or "id" not in named.fields):
                parts.append(f"{name} {_selection(field.type, depth + 1)}")
        else:
            parts.append(name)
    return "{ " + " ".join(parts) + " }"


# The aggregates whose answer for a street key must be the region's answer; reportingStats differs on purpose
# (a scoped key is not told the units elsewhere whose members report into its communities) and is tested above.
AGGREGATES = {"wishFunnel": "", "meetingStats": 'asOf: "2024-12-31"', "gridCoverage": "",
              "organisationHealth": 'asOf: "2024-12-31"', "coverageGaps": "", "communities": "", "brokers": "",
              "centrality": "metric: DEGREE", "regionStats": ""}


def test_every_aggregate_is_tried() -> None:
    fields = served().query_type.fields  # type: ignore[union-attr]
    named = {n for n in fields if any(w in n.lower() for w in ("stats", "funnel", "coverage", "health", "gaps",
                                                              "centrality", "communities", "brokers"))}
    assert named == {*AGGREGATES, "reportingStats"}


@pytest.mark.parametrize("field", list(AGGREGATES))
async def test_an_aggregate_for_a_street_key_is_the_streets(api: Api, field: str) -> None:
    """Asked without a region, a street key's aggregate is the admin's for the street; asked for the other
    street it is refused; the district narrows to the street."""
    selection = _selection(served().query_type.fields[field].type)  # type: ignore[union-attr]
    args = AGGREGATES[field]

    def ask(region: str | None) -> str:
        given = ", ".join(a for a in (args, f'regionId: "{region}"' if region else "") if a)
        return f"{{ {field}{f'({given})' if given else ''} {selection} }}"

    expected = await api.gql(ask(STREET_A))
    if field != "regionStats":  # its regionId is required
        assert await api.gql(ask(None), role="street") == expected
    assert await api.gql(ask(STREET_A), role="street") == expected
    error = await api.error(ask(region_fixtures.STREET_B), role="street")
    assert error["extensions"]["code"] in {"FORBIDDEN", "NOT_FOUND"}
