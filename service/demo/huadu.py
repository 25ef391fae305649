"""花都区 全域党建: 10 towns/streets, 252 villages/communities in 1,401 grids; 177 village/community
orgs and 1,461 grid orgs; 252 一帮一 pairings; 1,768 organisations with 29,913 members."""

from __future__ import annotations

import datetime as dt

from service.demo import names
from service.demo.builder import Area, Builder, level_for, spread
from service.demo.regions import add_places, grids, territory
from service.demo.units import Stationed, UnitFactory
from service.model import (
    AgreementKind,
    AllianceKind,
    Label,
    MatterMode,
    MatterStatus,
    OrgKind,
    OrgLevel,
    Ownership,
    RegionLevel,
    TeamKind,
)

_KNOWN = {"新华街道": ("京华社区",)}
_RED_ALLIANCES = (
    "融创万达小区文旅文化",
    "奥园红色物业小区",
    "花山小镇特色文化",
    "红谷皮革皮具文化",
    "狮岭皮革皮具产业",
)
_HELPER_KINDS = (OrgKind.AGENCY,) * 120 + (OrgKind.INSTITUTION,) * 80 + (OrgKind.SOE,) * 52
_OTHER_KINDS = ("NON_PUBLIC",) * 35 + ("SOCIAL",) * 12 + ("PROPERTY",) * 8  # PROPERTY: 红色物业


def build(b: Builder) -> None:
    p, f, rng = b.profile, b.profile.figures, b.rng
    t = territory(b)
    district = t.districts[0]
    streets = [town for town in t.towns if town.level == RegionLevel.STREET]
    taken: set[str] = set()
    street_weight = [4.0 if town in streets else 1.0 for town in t.towns]
    communities = spread(p.params["communities"], street_weight, minimum=1)
    villages = spread(
        f["villages_communities"] - p.params["communities"],
        [0.3 if town in streets else 1.0 for town in t.towns],
    )
    for town, c, v in zip(t.towns, communities, villages, strict=True):
        add_places(b, t, town, c, v, taken, _KNOWN.get(town.name, ()))

    # towns and streets; one org per community; villages alone or in joint orgs (联村党委)
    town_org: dict[str, str] = {}
    for town in t.towns:
        if town.level == RegionLevel.STREET:
            town_org[town.id] = b.org(town.name + "党工委", OrgKind.STREET, OrgLevel.WORKING_COMMITTEE, town)
        else:
            town_org[town.id] = b.org(town.name + "党委", OrgKind.TOWN, OrgLevel.COMMITTEE, town)
    place_org: dict[str, str] = {}
    for place in t.communities:
        place_org[place.id] = b.org(
            place.name + "党委",
            OrgKind.COMMUNITY,
            OrgLevel.COMMITTEE,
            place,
            under=town_org[place.id[:9]],
        )
    pairs: list[tuple[Area, Area]] = []
    for town in t.towns:
        here = [v for v in town.children if v.level == RegionLevel.VILLAGE]
        pairs += list(zip(here[0::2], here[1::2], strict=False))
    pairs = pairs[: p.params["joint_village_orgs"]]
    for first, second in pairs:
        oid = b.org(
            f"{first.name[:-1]}{second.name}联合党委",
            OrgKind.VILLAGE,
            OrgLevel.COMMITTEE,
            [first, second],
            under=town_org[first.id[:9]],
        )
        place_org[first.id] = place_org[second.id] = oid
    for place in t.villages:
        if place.id not in place_org:
            place_org[place.id] = b.org(
                place.name + "党委",
                OrgKind.VILLAGE,
                OrgLevel.COMMITTEE,
                place,
                under=town_org[place.id[:9]],
            )

    # 1,401 basic grids: 791 in communities, 610 in villages
    urban = spread(f["urban_grids"], [rng.uniform(0.7, 1.3) for _ in t.communities], minimum=3)
    rural = spread(f["rural_grids"], [rng.uniform(0.7, 1.3) for _ in t.villages], minimum=1)
    all_grids: list[Area] = []
    for places, counts, zone in ((t.communities, urban, "URBAN"), (t.villages, rural, "RURAL")):
        for place, n in zip(places, counts, strict=True):
            grid_names = [f"{place.name}第{i}网格" for i in range(1, n + 1)]
            all_grids += grids(b, place, grid_names, 1, zone=zone)

    # the organisations that hold members: grid orgs, the 252 helpers, 55 others
    extra_grid_orgs = f["grid_orgs"] - len(all_grids)
    grid_homes = all_grids + rng.sample(all_grids, extra_grid_orgs)
    helpers_n, others_n = len(_HELPER_KINDS), len(_OTHER_KINDS)
    holders = len(grid_homes) + helpers_n + others_n
    if holders != f["mobilised_orgs"]:
        raise AssertionError(f"huadu plans {holders} orgs with members, not {f['mobilised_orgs']}")
    weights = [rng.uniform(0.6, 1.4) for _ in grid_homes]
    weights += [rng.uniform(1.5, 2.5) for _ in range(helpers_n + others_n)]
    sizes = iter(spread(f["members"], weights, minimum=3))
    roster: dict[str, list[str]] = {}  # org id -> its members
    has_org: set[str] = set()
    for grid in grid_homes:
        size = next(sizes)
        level = level_for(size)
        tail = "第二" if grid.id in has_org else ""  # 60 grids have a second branch
        has_org.add(grid.id)
        oid = b.org(
            f"{grid.name}{tail}{names.org_suffix(level)}",
            OrgKind.GRID,
            level,
            grid,
            under=place_org[grid.id[:12]],
        )
        roster[oid] = b.members(oid, grid, size)

    make = UnitFactory(b, district, town_org)

    def where() -> tuple[Area, Area]:
        town = rng.choice(t.towns)
        return (rng.choice(town.children) if rng.random() < 0.6 else town), town

    def unit(kind: str, size: int) -> Stationed:
        if kind == OrgKind.SOE:
            made = make.enterprise_unit(rng.choice(p.industries[:6]), Ownership.STATE, *where(), size, True)
        elif kind == OrgKind.NON_PUBLIC:
            made = make.enterprise_unit(rng.choice(p.industries[:8]), Ownership.PRIVATE, *where(), size, True)
        elif kind == "PROPERTY":  # a property company's party branch (红色物业)
            made = make.enterprise_unit("物业服务", Ownership.PRIVATE, *where(), size, True)
        else:
            made = make.organisation_unit(OrgKind(kind), *where(), size)
        assert made.org is not None
        roster[made.org] = made.members
        return made

    helpers = [unit(kind, next(sizes)) for kind in _HELPER_KINDS]
    others = [unit(kind, next(sizes)) for kind in _OTHER_KINDS]
    for _ in range(150):  # enterprises without a party organisation of their own
        make.enterprise_unit(rng.choice(p.industries), Ownership.PRIVATE, *where(), 0, False)

    # 一帮一: every village/community paired with its own helper org
    places = t.communities + t.villages
    pairing: dict[str, str] = {}  # helper org -> its pairing agreement
    for place, helper in zip(places, helpers, strict=True):
        assert helper.org is not None
        signed = b.day(dt.date(2019, 3, 1), dt.date(2020, 12, 31))
        pairing[helper.org] = b.agreement(
            f"{helper.name}与{place.name}结对共建协议",
            AgreementKind.PAIRING,
            (Label.ORGANISATION, place_org[place.id]),
            (Label.ORGANISATION, helper.org),
            signed,
        )

    alliances = _alliances(b, t.towns, t.communities, town_org, place_org, helpers + others, roster)
    _teams(b, roster)
    _meetings(b, alliances)
    for town in t.towns:
        b.centre(town.name + "党群服务中心", town, town_org[town.id], rng.randint(1000, 4000))
    for place in places:
        b.centre(place.name + "党群服务中心", place, place_org[place.id], rng.randint(200, 1200))
    _lists(b, helpers, place_org, pairing)


def _alliances(
    b: Builder,
    towns: list[Area],
    communities: list[Area],
    town_org: dict[str, str],
    place_org: dict[str, str],
    units: list[Stationed],
    roster: dict[str, list[str]],
) -> list[tuple[str, list[str]]]:
    f, p, rng = b.profile.figures, b.profile, b.rng
    since = dt.date(2019, 6, 1)
    out: list[tuple[str, list[str]]] = []
    near: dict[str, list[Stationed]] = {}
    for u in units:
        near.setdefault(u.town.id, []).append(u)

    def recruit(aid: str, pool: list[Stationed], n: int, seats: int) -> list[str]:
        orgs = []
        for u in rng.sample(pool, min(n, len(pool))):
            assert u.org is not None
            b.join(u.org, aid, "MEMBER_UNIT", since)
            orgs.append(u.org)
        # part-time members are existing party members of the member units (兼职委员制)
        people = [m for o in orgs for m in roster[o]]
        for mid in rng.sample(people, min(seats, len(people))):
            b.serve_on(mid, aid)
        return orgs

    for town in (t for t in towns if t.level == RegionLevel.STREET):
        lead = town_org[town.id]
        aid = b.alliance(town.name + "大党工委", AllianceKind.STREET_WORKING_COMMITTEE, lead, [town], since=since)
        orgs = recruit(aid, near.get(town.id, []), 8, rng.randint(5, 9))
        out.append((aid, [lead, *orgs]))
    ranked = sorted(communities, key=lambda c: (town_org[c.id[:9]] not in _street_orgs(b), c.id))
    for place in ranked[: f["big_party_committees"]]:
        lead = place_org[place.id]
        aid = b.alliance(place.name + "大党委", AllianceKind.COMMUNITY_BIG_COMMITTEE, lead, [place], since=since)
        orgs = recruit(aid, near.get(place.id[:9], []), rng.randint(3, 6), rng.randint(4, 8))
        out.append((aid, [lead, *orgs]))
    enterprises = [u for u in units if u.kind == OrgKind.NON_PUBLIC]
    for title in _RED_ALLIANCES[: p.params["red_alliances"]]:
        town = rng.choice(towns)
        lead = town_org[town.id]
        aid = b.alliance(
            f"{title}红联共建", AllianceKind.RED_ALLIANCE, lead, [town], model="1+G+N", since=dt.date(2020, 5, 1)
        )
        members = rng.sample(enterprises, 4)
        for u in members:
            assert u.org is not None
            b.join(u.org, aid, "MEMBER_UNIT", dt.date(2020, 5, 1))
            b.agreement(
                f"{title}红联共建协议",
                AgreementKind.RED_ALLIANCE,
                (Label.ORGANISATION, lead),
                u.unit,
                b.day(dt.date(2020, 5, 1)),
            )
        out.append((aid, [lead, *(u.org for u in members if u.org)]))
    return out


def _street_orgs(b: Builder) -> set[str]:
    return {r["id"] for r in b.buf.nodes[Label.ORGANISATION] if r["kind"] == OrgKind.STREET}


def _teams(b: Builder, roster: dict[str, list[str]]) -> None:
    """1,000 党员突击队 and 志愿服务队 that joined the fight against the epidemic."""
    rng = b.rng
    org_names = {r["id"]: r["name"] for r in b.buf.nodes[Label.ORGANISATION]}
    for n, oid in enumerate(rng.sample(sorted(roster), b.profile.figures["teams"])):
        kind = TeamKind.COMMANDO if n % 3 == 0 else TeamKind.VOLUNTEER
        base = org_names[oid]
        for tail in ("党支部", "党总支", "党委"):
            base = base.removesuffix(tail)
        tid = b.team(base + ("党员突击队" if kind == TeamKind.COMMANDO else "志愿服务队"), kind, oid)
        for mid in rng.sample(roster[oid], min(len(roster[oid]), rng.randint(5, 12))):
            b.serve_in(mid, tid)


def _meetings(b: Builder, alliances: list[tuple[str, list[str]]]) -> None:
    rng = b.rng
    for aid, orgs in alliances:
        for _ in range(rng.randint(2, 4)):
            held = b.day(dt.date(2020, 1, 1))
            mid = b.meeting(aid, held, rng.choice(names.MEETING_TOPICS), "联席会议", orgs)
            for _ in range(rng.randint(0, 2)):
                status = MatterStatus.DONE if rng.random() < 0.7 else MatterStatus.IN_PROGRESS
                b.matter(
                    mid,
                    held,
                    rng.choice(names.MATTER_TITLES),
                    rng.choice(list(MatterMode)).value,
                    status.value,
                    rng.choice(orgs),
                )


def _lists(b: Builder, helpers: list[Stationed], place_org: dict[str, str], pairing: dict[str, str]) -> None:
    """Helpers publish what they offer their paired village; villages claim some of it."""
    rng = b.rng
    villages = sorted(set(place_org.values()))
    for _ in range(b.profile.params["list_items"]):
        helper = rng.choice(helpers)
        assert helper.org is not None
        template = rng.choice(names.LIST_TEMPLATES)
        row = b.item(
            (Label.ORGANISATION, helper.org), template, b.day(dt.date(2020, 1, 1)), None, pairing.get(helper.org)
        )
        if rng.random() < 0.3:
            b.claims(row, [(Label.ORGANISATION, v) for v in rng.sample(villages, 2)])
