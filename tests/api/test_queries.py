# ruff: noqa: UP031  (GraphQL braces read better with %-formatting than with doubled braces)
"""Every root query field over HTTP against the small graph."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.contract.small_graph import COMM_A1, DISTRICT, ENTERPRISE, STREET_A

PAIRED = """query($id: ID!) { pairedUnits(organisationId: $id) {
  unit { __typename ... on Organisation { id name } ... on Enterprise { id name } }
  agreements { id status kind } } }"""


async def test_paired_units_by_organisation_and_by_community_region(api: Api) -> None:
    for target in ("ORG-A1", COMM_A1):
        data = await api.gql(PAIRED, {"id": target})
        got = {p["unit"]["id"]: [a["id"] for a in p["agreements"]] for p in data["pairedUnits"]}
        assert got == {"ORG-TAX": ["AGR-1"], ENTERPRISE: ["AGR-2"]}  # AGR-3 expired
    data = await api.gql(PAIRED, {"id": "ORG-A1"})
    assert {p["unit"]["__typename"] for p in data["pairedUnits"]} == {"Organisation", "Enterprise"}


async def test_paired_units_of_unknown_id_is_not_found(api: Api) -> None:
    error = await api.error(PAIRED, {"id": "ORG-NOPE"})
    assert error["extensions"]["code"] == "NOT_FOUND"


LIST_ITEMS = """query($where: ListItemWhere, $first: Int, $after: String) {
  listItems(where: $where, first: $first, after: $after, orderBy: ID) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id list title quantity claimed remaining publisher { ... on Organisation { id } } } } }"""


async def test_list_items_unclaimed_resources_with_remaining(api: Api) -> None:
    data = await api.gql(LIST_ITEMS, {"where": {"list": "RESOURCE", "unclaimed": True}})
    conn = data["listItems"]
    assert conn["totalCount"] == 2
    assert [(n["id"], n["remaining"]) for n in conn["nodes"]] == [("ITEM-P1", 40.0), ("ITEM-P2", 1.0)]
    await api.gql('mutation { claimItem(itemId: "ITEM-P2", claimantId: "ORG-A1", claimId: "C1") { remaining } }')
    data = await api.gql(LIST_ITEMS, {"where": {"list": "RESOURCE", "unclaimed": True}})
    assert [n["id"] for n in data["listItems"]["nodes"]] == ["ITEM-P1"]
    data = await api.gql(LIST_ITEMS, {"where": {"unclaimed": False}})
    assert [(n["id"], n["claimed"], n["remaining"]) for n in data["listItems"]["nodes"]] == [("ITEM-P2", 1.0, 0.0)]


async def test_list_items_filters_and_pages(api: Api) -> None:
    data = await api.gql(LIST_ITEMS, {"where": {"publisherId": "ORG-TAX"}})
    assert {n["id"] for n in data["listItems"]["nodes"]} == {"ITEM-P1", "ITEM-P2"}
    data = await api.gql(LIST_ITEMS, {"where": {"regionId": STREET_A}})
    assert {n["id"] for n in data["listItems"]["nodes"]} == {"ITEM-P1", "ITEM-P2", "ITEM-N1"}
    seen, after = [], None
    while True:
        conn = (await api.gql(LIST_ITEMS, {"first": 3, "after": after}))["listItems"]
        assert conn["totalCount"] == 4
        seen += [n["id"] for n in conn["nodes"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert seen == sorted(["ITEM-P1", "ITEM-P2", "ITEM-N1", "ITEM-J1"])


async def test_organisations_where_order_and_keyset_cursor(api: Api) -> None:
    q = """query($after: String) { organisations(where: {kind: {in: ["COMMUNITY", "AGENCY"]}},
      orderBy: ID, direction: DESC, first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } nodes { id kind } } }"""
    first = (await api.gql(q))["organisations"]
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"]
    second = (await api.gql(q, {"after": first["pageInfo"]["endCursor"]}))["organisations"]
    ids = [n["id"] for n in first["nodes"] + second["nodes"]]
    assert ids == ["ORG-TAX", "ORG-B1", "ORG-A2", "ORG-A1"]
    assert not second["pageInfo"]["hasNextPage"]
    data = await api.gql('{ organisations(where: {name: {contains: "社区"}, regionId: "%s"}) '
                         '{ totalCount nodes { id } } }' % STREET_A)
    assert {n["id"] for n in data["organisations"]["nodes"]} == {"ORG-A1", "ORG-A2"}
    data = await api.gql('{ organisations(where: {name: {startsWith: "区"}}) { nodes { id } } }')
    assert {n["id"] for n in data["organisations"]["nodes"]} == {"ORG-TAX", "ORG-HOSP"}


async def test_enterprises_agreements_alliances_regions(api: Api) -> None:
    data = await api.gql('{ enterprises(where: {ownership: {eq: "PRIVATE"}}) { totalCount nodes { id name '
                         'partyOrganisations { id } region { id } } } }')
    assert data["enterprises"]["nodes"] == [{"id": ENTERPRISE, "name": "新疆天山物业服务有限公司",
                                             "partyOrganisations": [{"id": "ORG-ENT"}], "region": {"id": COMM_A1}}]
    data = await api.gql('{ agreements(where: {signedOn: {gte: "2021-01-01", lte: "2022-12-31"}}, orderBy: SIGNED_ON) '
                         '{ totalCount nodes { id parties { role signatory unit { ... on Organisation { id } '
                         '... on Enterprise { id } } } items { id } } } }')
    nodes = data["agreements"]["nodes"]
    assert [n["id"] for n in nodes] == ["AGR-1", "AGR-2"]
    assert {(p["unit"]["id"], p["role"], p["signatory"]) for p in nodes[0]["parties"]} == {
        ("ORG-A1", "甲方", "王书记"), ("ORG-TAX", "乙方", "李局长")}
    assert sorted(i["id"] for i in nodes[0]["items"]) == ["ITEM-N1", "ITEM-P1"]
    data = await api.gql('{ alliances { totalCount nodes { id model ledBy { id } covers { id } '
                         'members { role organisation { id } } committeeMembers { id } } } }')
    alliance = data["alliances"]["nodes"][0]
    assert alliance["ledBy"] == {"id": "ORG-STA"} and alliance["covers"] == [{"id": STREET_A}]
    assert {m["organisation"]["id"]: m["role"] for m in alliance["members"]}["ORG-STA"] == "LEAD"
    data = await api.gql('{ regions(where: {regionId: "%s"}, orderBy: ID) { totalCount nodes { id parent { id } } } }'
                         % STREET_A)
    assert [n["id"] for n in data["regions"]["nodes"]] == [STREET_A, COMM_A1, "650106001002"]
    assert data["regions"]["nodes"][0]["parent"] == {"id": DISTRICT}


async def test_node_lookup_of_every_kind(api: Api) -> None:
    q = """query($id: ID!) { node(id: $id) { __typename id
      ... on Organisation { name region { id } parent { id } agreements { agreement { id } } published { id } }
      ... on ListItem { title remaining agreements { id } }
      ... on Member { name organisation { id } alliances { id } } } }"""
    org = (await api.gql(q, {"id": "ORG-A1"}))["node"]
    assert org["__typename"] == "Organisation" and org["parent"] == {"id": "ORG-STA"}
    assert sorted(a["agreement"]["id"] for a in org["agreements"]) == ["AGR-1", "AGR-2", "AGR-3"]
    assert org["published"] == [{"id": "ITEM-N1"}]
    item = (await api.gql(q, {"id": "ITEM-P1"}))["node"]
    assert item["__typename"] == "ListItem" and item["agreements"] == [{"id": "AGR-1"}]
    member = (await api.gql(q, {"id": "M-1"}))["node"]
    assert member["organisation"] == {"id": "ORG-TAX"} and member["alliances"] == [{"id": "ALL-STA"}]
    error = await api.error(q, {"id": "NOPE"})
    assert error["extensions"]["code"] == "NOT_FOUND" and "NOPE" in error["message"]


async def test_search_chinese_names(api: Api) -> None:
    data = await api.gql('{ search(text: "红山社区", first: 5) { __typename id } }')
    assert data["search"][0]["id"] in {"ORG-A1", COMM_A1}
    assert {"ORG-A1", COMM_A1} <= {n["id"] for n in data["search"]}


async def test_ids_answered_without_a_lookup_first_are_still_not_found_when_unknown(api: Api) -> None:
    # an unscoped caller's neighbourhood, path and pairedUnits ask the store first and look an id up only when
    # the answer lacks it: an unknown id is NOT_FOUND as before, a known one with nothing to show is empty
    for field in ('neighbourhood(id: "NOPE") { truncated }', 'path(from: "ORG-A1", to: "NOPE") { truncated }',
                  'path(from: "NOPE", to: "ORG-A1") { truncated }', 'path(from: "NOPE", to: "NOPE") { truncated }'):
        error = await api.error("{ %s }" % field)
        assert error["extensions"]["code"] == "NOT_FOUND" and "NOPE" in error["message"], field
    assert (await api.gql(PAIRED, {"id": "ITEM-P1"}))["pairedUnits"] == []  # not an organisation: none
    assert (await api.gql('{ path(from: "ORG-A1", to: "ORG-A1") { nodes { id } } }'))["path"] == {
        "nodes": [{"id": "ORG-A1"}]}


async def test_region_stats(api: Api) -> None:
    data = await api.gql('{ regionStats(regionId: "%s") { regionId total counts { label kind status count } } }'
                         % STREET_A)
    stats = data["regionStats"]
    counts = {(c["label"], c["kind"], c["status"]): c["count"] for c in stats["counts"]}
    assert counts[("Organisation", "COMMUNITY", None)] == 2
    assert stats["total"] == sum(counts.values())
    error = await api.error('{ regionStats(regionId: "999") { total } }')
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_neighbourhood_and_truncation(api: Api) -> None:
    q = """query($limit: Int) { neighbourhood(id: "ORG-A1", depth: 1, limit: $limit) {
      truncated nodes { id label name } edges { type start end properties } } }"""
    full = (await api.gql(q, {"limit": 100}))["neighbourhood"]
    ids = {n["id"] for n in full["nodes"]}
    assert {"ORG-A1", "ORG-STA", "AGR-1", COMM_A1, "ITEM-N1"} <= ids and not full["truncated"]
    assert {"type": "PARTY_TO", "start": "ORG-A1", "end": "AGR-1",
            "properties": {"role": "甲方", "signatory": "王书记"}} in full["edges"]
    cut = (await api.gql(q, {"limit": 3}))["neighbourhood"]
    assert cut["truncated"] and len(cut["nodes"]) == 3


async def test_path_between_units(api: Api) -> None:
    data = await api.gql('{ path(from: "ORG-TAX", to: "ORG-HOSP") { nodes { id } edges { type start end } } }')
    path = data["path"]
    assert path["nodes"][0]["id"] == "ORG-TAX" and path["nodes"][-1]["id"] == "ORG-HOSP"
    assert len(path["edges"]) == len(path["nodes"]) - 1
    await api.gql('mutation { upsertOrganisations(rows: [{id: "ORG-LONE", name: "孤立单位", kind: AGENCY, '
                  'level: BRANCH}]) { created } }')
    assert (await api.gql('{ path(from: "ORG-TAX", to: "ORG-LONE") { nodes { id } } }'))["path"] is None


EDGES = """query($after: String, $first: Int) {
  organisations(orderBy: NAME, direction: DESC, first: $first, after: $after) {
    totalCount edges { cursor node { id name } } } }"""


async def test_connection_edges_carry_cursors_that_page_on_from_each_node(api: Api) -> None:
    every = (await api.gql(EDGES, {"first": 100}))["organisations"]
    names = [e["node"]["name"] for e in every["edges"]]
    assert len(names) == every["totalCount"] == 7 and names == sorted(names, reverse=True)
    for k, edge in enumerate(every["edges"]):
        rest = (await api.gql(EDGES, {"first": 100, "after": edge["cursor"]}))["organisations"]["edges"]
        assert [e["node"]["id"] for e in rest] == [e["node"]["id"] for e in every["edges"][k + 1 :]]


async def test_a_listing_reads_the_publishers_only_when_the_query_shows_them(api: Api) -> None:
    """listItems asks the store for each item's publisher only when the query selects `publisher` below it
    (directly, in an inline fragment or a named one) and the caller's key has no region; the publisher shown
    is the same whichever way it was read."""
    unit = "publisher { ... on Organisation { id } ... on Enterprise { id } }"
    shapes = {
        "{ listItems { totalCount nodes { id } } }": False,
        f"{{ listItems {{ nodes {{ id {unit} }} }} }}": True,
        f"{{ listItems {{ edges {{ node {{ ... on ListItem {{ id by: {unit} }} }} }} }} }}": True,
        f"{{ listItems {{ nodes {{ ...Item }} }} }} fragment Item on ListItem {{ id {unit} }}": True,
    }
    for query, shown in shapes.items():
        api.counter.asked.clear()
        await api.gql(query)
        [asked] = [args[0] for name, args in api.counter.asked if name == "list_items"]
        assert asked.with_publisher is shown, query

    query = f"{{ listItems {{ nodes {{ id {unit} }} }} }}"
    read = (await api.gql(query))["listItems"]["nodes"]
    api.counter.asked.clear()
    scoped = (await api.gql(query, role="street"))["listItems"]["nodes"]
    [asked] = [args[0] for name, args in api.counter.asked if name == "list_items"]
    assert not asked.with_publisher  # a region's key checks each publisher by id instead
    assert scoped and all(item in read for item in scoped)
    assert {item["publisher"]["id"] for item in read} >= {"ORG-TAX", "ORG-A1"}
