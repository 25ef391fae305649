"""The demo datasets, checked without a store: figures, ids, codes, the model's whitelist."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import pytest

from service.codes import credit_code_error, id_number_error, region_code_error
from service.demo import MAX_SCALE, PROFILES, Dataset, generate
from service.model import Label, RegionLevel
from service.registry import allowed_ends
from tests.demo.graphview import FIGURES, GraphView, digest, recompute

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_KEYS = ("signedOn", "validFrom", "validTo", "publishedOn", "heldOn", "due", "doneOn", "joinedOn", "since", "on")
_TITLED = {Label.AGREEMENT, Label.LIST_ITEM, Label.WISH, Label.MATTER}


@cache
def dataset(profile: str, scale: int = 1, seed: int = 2026) -> Dataset:
    return generate(profile, scale, seed)


@cache
def view(profile: str) -> GraphView:
    return GraphView.of(dataset(profile))


@pytest.fixture(params=PROFILES)
def profile(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_profiles_are_the_five_seeds() -> None:
    assert PROFILES == ("urumqi-etdz", "baiyun", "huadu", "conghua", "foshan")


def test_every_figure_is_recomputed_from_the_graph(profile: str) -> None:
    d = dataset(profile)
    assert set(d.figures) <= set(FIGURES), "a figure without an independent query"
    assert {key: FIGURES[key](view(profile)) for key in d.figures} == d.figures


@pytest.mark.parametrize(
    ("profile_name", "expected"),
    [
        (
            "urumqi-etdz",
            {
                "streets": 14,
                "communities": 84,
                "villages": 7,
                "signatory_units": 1416,
                "part_time_members": 586,
                "property_company_orgs": 9,
                "list_items": 1364,
                "parking_spaces": 1035,
            },
        ),
        (
            "baiyun",
            {
                "streets": 18,
                "urban_villages": 48,
                "street_working_committees": 18,
                "big_party_committees": 48,
                "economic_coop_branches": 426,
                "think_tanks": 66,
                "think_tank_members": 453,
                "lists": 198,
                "list_items": 2717,
                "meetings": 1925,
                "important_matters": 321,
                "matters_done": 2159,
            },
        ),
        (
            "huadu",
            {
                "towns_streets": 10,
                "villages_communities": 252,
                "grids": 1401,
                "urban_grids": 791,
                "rural_grids": 610,
                "street_working_committees": 4,
                "big_party_committees": 47,
                "village_community_orgs": 177,
                "grid_orgs": 1461,
                "pairings": 252,
                "mobilised_orgs": 1768,
                "members": 29913,
            },
        ),
        (
            "conghua",
            {
                "towns_with_regional_committees": 6,
                "regional_committees": 8,
                "wenquan_member_orgs": 16,
                "wenquan_members": 437,
                "reporting_units": 221,
                "wish_warehouses": 10,
                "reporting_members": 10254,
                "wishes": 440,
                "wishes_claimed": 360,
                "wishes_fulfilled": 321,
                "contributors": 1592,
            },
        ),
        (
            "foshan",
            {
                "towns_streets": 32,
                "communities": 191,
                "grids_level1": 787,
                "grids_level2": 5302,
                "grids_level3": 10721,
                "agency_enterprise_pairings": 100,
                "industry_committees": 8,
                "joint_meetings": 960,
            },
        ),
    ],
)
def test_the_seed_figures_are_promised(profile_name: str, expected: dict[str, int]) -> None:
    # the calibration table of domain.md, typed in again so a wrong spec cannot hide
    promised = dataset(profile_name).figures
    assert {k: promised[k] for k in expected} == expected


def test_conghua_reports_reach_as_many_hosts_as_units() -> None:
    g = view("conghua")
    hosts = {e for _, e, _ in g.rels("REPORTED_TO")}
    assert len(hosts) == 221
    assert all(g.props[h]["kind"] in ("VILLAGE", "COMMUNITY") for h in hosts)


def test_ids_are_unique_across_all_labels(profile: str) -> None:
    d = dataset(profile)
    ids = Counter(row["id"] for rows in d.nodes.values() for row in rows)
    assert [i for i, n in ids.items() if n > 1] == []
    claim_ids = [c["id"] for c in d.claims]
    assert len(set(claim_ids)) == len(claim_ids)
    assert not set(claim_ids) & set(ids)


def test_rows_have_names_and_scalar_iso_properties(profile: str) -> None:
    d = dataset(profile)
    for label, rows in d.nodes.items():
        title = "topic" if label is Label.MEETING else "title" if label in _TITLED else "name"
        for row in rows:
            assert isinstance(row.get(title), str) and row[title], (label, row)
            for key, value in row.items():
                # exact types: an enum member would travel as its repr through some drivers
                assert value is None or type(value) in (str, int, float, bool), (label, key, value)
                if key in _DATE_KEYS:
                    assert _ISO_DAY.match(value) and dt.date.fromisoformat(value), (label, key, value)
    for batch in d.relationships:
        for rel in batch.rows:
            for key, value in rel.props.items():
                assert type(value) in (str, int, float, bool), (batch.type, key, value)
                if key in _DATE_KEYS:
                    assert _ISO_DAY.match(value), (batch.type, key, value)


def test_relationships_follow_the_model_and_their_ends_exist(profile: str) -> None:
    d = dataset(profile)
    g = view(profile)
    for batch in d.relationships:
        assert (batch.start, batch.end) in allowed_ends()[batch.type], batch.type
        for rel in batch.rows:
            assert g.label.get(rel.start) is batch.start, (batch.type, rel.start)
            assert g.label.get(rel.end) is batch.end, (batch.type, rel.end)
        # one relationship per (start, type, end): a repeat would merge silently in a store
        pairs = Counter((r.start, r.end) for r in batch.rows)
        assert [p for p, n in pairs.items() if n > 1] == [], batch.type


def test_codes_are_valid(profile: str) -> None:
    d = dataset(profile)
    for row in d.nodes[Label.ENTERPRISE]:
        assert credit_code_error(row["id"]) is None
    for row in d.nodes[Label.MEMBER]:
        assert id_number_error(row["idNumber"]) is None
        assert re.fullmatch(r"1[3-9]\d{9}", row["phone"]), row["phone"]
    for row in d.nodes[Label.REGION]:
        assert region_code_error(row["id"], row["level"]) is None, row


def test_regions_nest_by_code(profile: str) -> None:
    d = dataset(profile)
    g = view(profile)
    parents: dict[str, list[str]] = defaultdict(list)
    for s, e, _ in g.rels("PART_OF"):
        parents[s].append(e)
    for row in d.nodes[Label.REGION]:
        level = RegionLevel(row["level"])
        if level is RegionLevel.PROVINCE:
            assert parents[row["id"]] == []
            continue
        [parent] = parents[row["id"]]
        if level in (RegionLevel.CITY, RegionLevel.DISTRICT):
            assert row["id"][:2] == parent[:2]
        else:
            assert row["id"][:-3] == parent, (row, parent)


def test_enterprise_codes_carry_their_district(profile: str) -> None:
    g = view(profile)
    for s, e, _ in g.rels("LOCATED_IN"):
        if g.label[s] is Label.ENTERPRISE:
            assert e.startswith(s[2:8]), (s, e)


def test_claims_never_exceed_an_item(profile: str) -> None:
    d = dataset(profile)
    g = view(profile)
    publisher = {e: s for s, e, _ in g.rels("PUBLISHED")}
    claimed: Counter[str] = Counter()
    assert d.claims, "every profile exercises claims"
    for c in d.claims:
        item = g.props[c["item_id"]]
        assert g.label[c["item_id"]] is Label.LIST_ITEM
        assert g.label[c["claimant_id"]] in (Label.ORGANISATION, Label.ENTERPRISE)
        assert c["claimant_id"] != publisher[c["item_id"]]
        assert isinstance(c["quantity"], int) and c["quantity"] > 0
        assert item["publishedOn"] <= c["on"], c
        assert item["status"] == "OPEN"
        claimed[c["item_id"]] += c["quantity"]
    assert all(n <= g.props[i]["quantity"] for i, n in claimed.items())
    assert any(n == g.props[i]["quantity"] for i, n in claimed.items()), "some item is fully claimed"


def test_every_item_has_one_publisher(profile: str) -> None:
    g = view(profile)
    published = Counter(e for _, e, _ in g.rels("PUBLISHED"))
    assert set(published) == set(g.nodes(Label.LIST_ITEM))
    assert set(published.values()) == {1}


def test_agreements_have_two_parties_and_consistent_status(profile: str) -> None:
    d = dataset(profile)
    g = view(profile)
    roles: dict[str, list[str]] = defaultdict(list)
    for _, e, p in g.rels("PARTY_TO"):
        roles[e].append(p["role"])
        assert p.get("signatory")
    for agreement in g.nodes(Label.AGREEMENT):
        a = g.props[agreement]
        assert sorted(roles[agreement]) == ["乙方", "甲方"], agreement
        assert a["validFrom"] <= a["validTo"]
        assert a["status"] in ("ACTIVE", "EXPIRED", "TERMINATED")
        assert (a["status"] == "EXPIRED") == (a["validTo"] < _as_of(d).isoformat()), a


def test_wishes_follow_their_lifecycle() -> None:
    g = view("conghua")
    accepted = Counter(e for _, e, _ in g.rels("ACCEPTED"))
    contributed = {e for _, e, _ in g.rels("CONTRIBUTED")}
    dispatched = {s for s, _, _ in g.rels("DISPATCHED_TO")}
    for wish in g.nodes(Label.WISH):
        w = g.props[wish]
        claimed = w["status"] in ("ACCEPTED", "FULFILLED", "RATED")
        assert accepted[wish] == (1 if claimed else 0)
        assert (wish in contributed) == claimed
        assert ("rating" in w) == (w["status"] == "RATED")
        if w["status"] != "PUBLISHED" and w["status"] != "CANCELLED":
            assert wish in dispatched
        assert w["recipient"] and w["recipientPhone"] and w["recipientAddress"]


def test_every_unit_and_org_is_somewhere(profile: str) -> None:
    g = view(profile)
    located = {s for s, _, _ in g.rels("LOCATED_IN")}
    units = g.nodes(Label.ORGANISATION) + g.nodes(Label.ENTERPRISE)
    assert [u for u in units if u not in located] == []
    alliances = g.nodes(Label.ALLIANCE)
    assert set(alliances) == {s for s, _, _ in g.rels("LED_BY")} == {s for s, _, _ in g.rels("COVERS")}
    members = g.nodes(Label.MEMBER)
    belongs = Counter(s for s, _, _ in g.rels("BELONGS_TO"))
    assert all(belongs[m] == 1 for m in members)


def test_same_seed_same_dataset_other_seed_other_dataset() -> None:
    first = generate("urumqi-etdz", seed=7)
    again = generate("urumqi-etdz", seed=7)
    other = generate("urumqi-etdz", seed=8)
    assert _fingerprint(first) == _fingerprint(again)
    assert _fingerprint(first) != _fingerprint(other)
    assert first.figures == other.figures
    assert recompute(other) == other.figures
    assert first.nodes[Label.MEMBER][0]["name"] != other.nodes[Label.MEMBER][0]["name"] or (
        first.nodes[Label.MEMBER][0]["idNumber"] != other.nodes[Label.MEMBER][0]["idNumber"]
    )


def test_scale_two_doubles_every_figure(profile: str) -> None:
    one, two = dataset(profile), dataset(profile, 2)
    assert two.figures == {k: 2 * v for k, v in one.figures.items()}
    assert recompute(two) == two.figures
    ids = [row["id"] for rows in two.nodes.values() for row in rows]
    assert len(ids) == len(set(ids))
    # the first replica is exactly the scale-1 dataset: replicas do not disturb each other
    first_ids = {row["id"] for rows in one.nodes.values() for row in rows}
    assert first_ids <= set(ids)


@pytest.mark.parametrize("bad", ["", "urumqi", "Baiyun", "guangzhou"])
def test_unknown_profile_is_refused_by_name(bad: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(bad))) as caught:
        generate(bad)
    assert "urumqi-etdz" in str(caught.value) and "foshan" in str(caught.value)


@pytest.mark.parametrize("bad", [0, -1, MAX_SCALE + 1])
def test_bad_scale_is_refused(bad: int) -> None:
    with pytest.raises(ValueError, match="scale"):
        generate("baiyun", scale=bad)


def _as_of(d: Dataset) -> dt.date:
    from service.demo.profiles import PROFILE_SPECS

    return PROFILE_SPECS[d.profile].as_of


def _fingerprint(d: Dataset) -> tuple[object, ...]:
    return (
        [(label, rows) for label, rows in d.nodes.items()],
        [(b.type, b.start, b.end, [(r.start, r.end, r.props) for r in b.rows]) for b in d.relationships],
        d.claims,
    )


_DIGESTS = """
from service.demo import PROFILES, generate
from tests.demo.graphview import digest
for name in PROFILES:
    print(name, digest(generate(name)))
"""


def test_datasets_do_not_depend_on_the_hash_seed() -> None:
    # set iteration order changes with PYTHONHASHSEED; a dataset must not
    root = Path(__file__).resolve().parents[2]
    other_seed = "54321" if os.environ.get("PYTHONHASHSEED") == "12345" else "12345"
    there = subprocess.run(
        [sys.executable, "-c", _DIGESTS],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": other_seed, "PYTHONPATH": str(root)},
    ).stdout
    here = "".join(f"{name} {digest(dataset(name))}\n" for name in PROFILES)
    assert there == here
