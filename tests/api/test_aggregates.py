"""Every figure of the calibration table (../shared/domain.md, service/demo/profiles.py) is ONE
GraphQL call on every demo profile, on both stores, asked the way a dashboard asks: for the
profile's district (the whole city for foshan). The totals (…Totals) count within the caller's
region like every other read."""

from __future__ import annotations

from typing import Any

import pytest

from service.demo import PROFILES, Dataset, generate, load_dataset
from service.demo.profiles import PROFILE_SPECS
from service.demo.regions import root_code
from service.graph.port import GraphStore
from service.model import Label
from tests.api.conftest import API_KEYS, Api, ApiFactory
from tests.demo.graphview import GraphView

R = "$r: ID"


def _where(extra: str = "") -> str:
    return "{regionId: $r" + (", " + extra if extra else "") + "}"


def _total(field: str, extra: str = "") -> tuple[str, tuple[str, ...]]:
    return f"{field}(where: {_where(extra)}, first: 1) {{ totalCount }}", (field, "totalCount")


def _region_level(*levels: str) -> tuple[str, tuple[str, ...]]:
    return _total("regions", "level: {in: [" + ", ".join(f'"{x}"' for x in levels) + "]}")


def _kind(field: str, *kinds: str) -> tuple[str, tuple[str, ...]]:
    return _total(field, "kind: {in: [" + ", ".join(f'"{x}"' for x in kinds) + "]}")


def _of(field: str, args: str, leaf: str) -> tuple[str, tuple[str, ...]]:
    """`field(args) { leaf }`; a leaf with arguments is read under its own name."""
    return f"{field}({args}) {{ {leaf} }}", (field, leaf.split("(")[0])


def _totals(field: str, leaf: str, extra: str = "") -> tuple[str, tuple[str, ...]]:
    """A …Totals root field over the listing filter `extra` within the region."""
    return _of(field, "where: " + _where(extra), leaf)


def _grids(level: int) -> tuple[str, tuple[str, ...]]:
    return "gridCoverage(regionId: $r) { region { id } gridLevel grids }", ("gridCoverage", f"level{level}")


# figure key (profiles.py) -> the one root field that answers it, and where the number is in the answer
FIGURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "streets": _region_level("STREET"),
    "towns_streets": _region_level("STREET", "TOWN"),
    "communities": _region_level("COMMUNITY"),
    "villages": _region_level("VILLAGE"),
    "urban_villages": _region_level("VILLAGE"),
    "villages_communities": _region_level("VILLAGE", "COMMUNITY"),
    "grids": _region_level("GRID"),
    "grids_level1": _grids(1),
    "grids_level2": _grids(2),
    "grids_level3": _grids(3),
    "signatory_units": _totals("agreementTotals", 'parties(role: "乙方")'),
    "part_time_members": _totals("allianceTotals", "committeeMembers"),
    "property_company_orgs": _totals("enterpriseTotals", "partyOrganisations", 'industry: {eq: "物业服务"}'),
    "list_items": _totals("listItemTotals", "items"),
    "parking_spaces": _totals("listItemTotals", "quantity", 'list: RESOURCE, category: "停车位"'),
    "lists": _totals("listItemTotals", "publishers"),
    "street_working_committees": _kind("alliances", "STREET_WORKING_COMMITTEE"),
    "big_party_committees": _kind("alliances", "COMMUNITY_BIG_COMMITTEE"),
    "economic_coop_branches": _kind("alliances", "ECONOMIC_COOP_BRANCH"),
    "regional_committees": _kind("alliances", "REGIONAL_COMMITTEE"),
    "industry_committees": _kind("alliances", "INDUSTRY_COMMITTEE"),
    "joint_meeting_alliances": _kind("alliances", "JOINT_MEETING"),
    "towns_with_regional_committees": _totals("allianceTotals", "coveredRegions", 'kind: {eq: "REGIONAL_COMMITTEE"}'),
    "wenquan_member_orgs": _totals("allianceTotals", "memberOrganisations", 'name: {eq: "温泉风景名山区党委"}'),
    "joint_meetings": _totals("allianceTotals", "meetings", 'kind: {eq: "JOINT_MEETING"}'),
    "think_tanks": _of("teamTotals", "regionId: $r, kind: THINK_TANK", "teams"),
    "think_tank_members": _of("teamTotals", "regionId: $r, kind: THINK_TANK", "members"),
    "meetings": _of("meetingStats", "regionId: $r", "meetings"),
    "important_matters": _of("meetingStats", "regionId: $r", "importantMatters"),
    "matters_done": _of("meetingStats", "regionId: $r", "mattersDone"),
    "village_community_orgs": _kind("organisations", "VILLAGE", "COMMUNITY"),
    "grid_orgs": _kind("organisations", "GRID"),
    "pairings": _kind("agreements", "PAIRING"),
    "agency_enterprise_pairings": _kind("agreements", "PAIRING"),
    "mobilised_orgs": _totals("organisationTotals", "withMembers"),
    "members": _totals("organisationTotals", "members"),
    "reporting_units": _of("reportingStats", "regionId: $r", "units"),
    "reporting_members": _totals("organisationTotals", "reportedMembers"),
    "wish_warehouses": _totals("enterpriseTotals", "enterprises", 'wishWarehouse: true'),
    "wishes": _of("wishFunnel", "regionId: $r", "published"),
    "wishes_claimed": _of("wishFunnel", "regionId: $r", "accepted"),
    "wishes_fulfilled": _of("wishFunnel", "regionId: $r", "fulfilled"),
    "contributors": _of("wishFunnel", "regionId: $r", "contributors"),
    "service_centres": ("serviceCentres(regionId: $r, first: 1) { totalCount }", ("serviceCentres", "totalCount")),
}

# The calibration table of ../shared/domain.md, figure by figure: each must be in FIGURES.
CALIBRATION_TABLE: dict[str, tuple[str, ...]] = {
    "urumqi-etdz": ("streets", "communities", "villages", "signatory_units", "part_time_members",
                    "property_company_orgs", "list_items", "parking_spaces"),
    "baiyun": ("streets", "urban_villages", "street_working_committees", "big_party_committees",
               "economic_coop_branches", "think_tanks", "think_tank_members", "lists", "list_items", "meetings",
               "important_matters", "matters_done"),
    "huadu": ("towns_streets", "villages_communities", "grids", "street_working_committees", "big_party_committees",
              "village_community_orgs", "grid_orgs", "pairings", "mobilised_orgs", "members"),
    "conghua": ("towns_with_regional_committees", "regional_committees", "reporting_units", "wish_warehouses",
                "reporting_members", "wishes", "wishes_claimed", "wishes_fulfilled", "contributors"),
    "foshan": ("towns_streets", "communities", "grids_level1", "grids_level2", "grids_level3",
               "agency_enterprise_pairings", "industry_committees", "joint_meetings"),
}
# Figures of the profiles beyond the table that still take more than one call (or a filter the
# listings do not have): grids by zone, teams of two kinds, centres by floor area, members of a
# named alliance's organisations.
BEYOND_ONE_CALL = {"urban_grids", "rural_grids", "teams", "service_centres_over_3000m2",
                   "service_centres_over_10000m2", "wenquan_members"}


def _read(data: dict[str, Any], path: tuple[str, ...], region: str | None) -> Any:
    field, leaf = path
    found = data[field]
    if field == "gridCoverage":  # the asked region's row of that grid level (region null: the whole graph)
        level = int(leaf.removeprefix("level"))
        return next(r["grids"] for r in found
                    if (r["region"] and r["region"]["id"]) == region and r["gridLevel"] == level)
    return found[leaf]


async def figure(api: Api, key: str, region: str | None, key_header: str | None = None) -> Any:
    """One GraphQL request for one figure (as an analyst, or with the API key given), a bounded
    number of store statements."""
    selection, path = FIGURES[key]
    api.counter.calls.clear()
    headers = None if key_header is None else {"Authorization": f"Bearer {key_header}"}
    response = await api.post(f"query Figure({R}) {{ {selection} }}", {"r": region},
                              role="analyst" if key_header is None else None, headers=headers)
    body = response.json()
    assert "errors" not in body, (key, body)
    calls = [c for c in api.counter.calls if c != "version"]  # the response cache's version token
    if "Totals" in path[0]:  # one statement; a scoped key asking for another region looks where it is first
        assert calls[-1] in ("item_totals", "link_totals", "list_nodes"), (key, calls)
        assert len(calls) == 1 or key_header is not None, (key, calls)
    assert len(calls) <= 3, (key, calls)
    return _read(body["data"], path, region)


def test_every_figure_of_the_calibration_table_has_its_one_call() -> None:
    for profile, keys in CALIBRATION_TABLE.items():
        figures = PROFILE_SPECS[profile].figures
        assert set(keys) <= set(figures), profile
        assert set(keys) <= set(FIGURES), profile
        assert set(figures) <= set(FIGURES) | BEYOND_ONE_CALL, profile


@pytest.mark.parametrize("profile", PROFILES)
async def test_each_figure_is_one_call_on_every_profile(
    store: GraphStore, store_kind: str, make_api: ApiFactory, profile: str
) -> None:
    dataset = generate(profile)
    await load_dataset(store, dataset)
    api = await make_api()
    # Embedded: for the profile's district, as the dashboard asks. Neo4j: for the whole graph (the
    # dataset is all there is), which skips the per-node scope test that makes each figure cost
    # seconds there; test_a_region_scoped_key_counts_only_inside_its_region scopes it on Neo4j.
    region = root_code(PROFILE_SPECS[profile], 1) if store_kind == "embedded" else None
    found = {key: await figure(api, key, region) for key in dataset.figures if key in FIGURES}
    assert found == {key: value for key, value in dataset.figures.items() if key in FIGURES}
    assert await figure(api, "list_items", None) == len(dataset.nodes.get(Label.LIST_ITEM, []))
    if "wish_warehouses" in dataset.figures:  # 如愿义仓: a role of an enterprise, listed like any filter
        data = await api.gql("{ enterprises(where: {wishWarehouse: true}, first: 100) { nodes { wishWarehouse } } }")
        assert [n["wishWarehouse"] for n in data["enterprises"]["nodes"]] == [True] * dataset.figures["wish_warehouses"]


@pytest.fixture
async def urumqi(store: GraphStore) -> Dataset:
    dataset = generate("urumqi-etdz")
    await load_dataset(store, dataset)
    return dataset


def _street(dataset: Dataset) -> str:
    return str(next(r["id"] for r in dataset.nodes[Label.REGION] if r.get("level") == "STREET"))


async def test_a_region_scoped_key_counts_only_inside_its_region(
    make_api: ApiFactory, urumqi: Dataset
) -> None:
    """乙方 signatory units of a street key: those located in the street, whatever the agreement's
    other party; asking for the whole district narrows to the key's street."""
    street = _street(urumqi)
    g = GraphView.of(urumqi)
    located = {s: e for s, e, _ in g.rels("LOCATED_IN")}
    parents = {s: e for s, e, _ in g.rels("PART_OF")}

    def in_street(region: str | None) -> bool:
        while region is not None and region != street:
            region = parents.get(region)
        return region == street

    expected = len({s for s, _, p in g.rels("PARTY_TO") if p.get("role") == "乙方" and in_street(located.get(s))})
    assert 0 < expected < urumqi.figures["signatory_units"]
    api = await make_api(keys=f"{API_KEYS},k-urumqi-street:analyst:{street}")
    district = root_code(PROFILE_SPECS["urumqi-etdz"], 1)
    for asked in (district, street, None):
        assert await figure(api, "signatory_units", asked, "k-urumqi-street") == expected
    assert await figure(api, "signatory_units", street) == expected  # an unscoped key asking for the street
    members = await figure(api, "part_time_members", district, "k-urumqi-street")
    assert 0 < members < urumqi.figures["part_time_members"]
    # a region beyond the key is refused, not counted as nothing
    response = await api.post('{ agreementTotals(where: {regionId: "440111"}) { agreements } }', role=None,
                              headers={"Authorization": "Bearer k-urumqi-street"})
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "FORBIDDEN" and "440111" in error["message"]


async def test_totals_follow_the_listing_filters(make_api: ApiFactory, urumqi: Dataset) -> None:
    api = await make_api()
    data = await api.gql("""{
      all: agreementTotals { agreements parties host: parties(role: "甲方") guest: parties(role: "乙方") }
      pairing: agreementTotals(where: {kind: {eq: "PAIRING"}}) { agreements }
      listed: agreements(where: {kind: {eq: "PAIRING"}}, first: 1) { totalCount }
      items: listItemTotals(where: {list: RESOURCE, category: "停车位"}) { items quantity claimed remaining publishers }
      warehouses: enterprises(where: {wishWarehouse: true}, first: 1) { totalCount }
    }""")
    g = GraphView.of(urumqi)
    hosts = {s for s, _, p in g.rels("PARTY_TO") if p.get("role") == "甲方"}
    assert data["all"] == {"agreements": len(g.nodes(Label.AGREEMENT)),
                           "parties": len({s for s, _, _ in g.rels("PARTY_TO")}),
                           "host": len(hosts), "guest": urumqi.figures["signatory_units"]}
    assert data["pairing"]["agreements"] == data["listed"]["totalCount"]
    items = data["items"]
    assert items["quantity"] == urumqi.figures["parking_spaces"]
    assert items["claimed"] + items["remaining"] == items["quantity"] and items["claimed"] > 0
    assert items["publishers"] <= items["items"]
    assert data["warehouses"]["totalCount"] == 0  # conghua's wish warehouses are not urumqi-etdz's
