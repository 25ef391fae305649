"""佛山市: 32 towns/streets and 191 communities run 党建联席会议 (960 meetings a year); three grid
levels (787 / 5,302 / 10,721); 100 agency–enterprise pairings; 8 industry committees."""

from __future__ import annotations

import datetime as dt

from service.demo import names
from service.demo.builder import Area, Builder, Unit, level_for, spread
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
    RelType,
)

# (industry committee, its supervising department, enterprise industries it gathers)
_INDUSTRY_COMMITTEES = (
    ("非公有制经济组织行业党委", "市委统战部", ("家电", "机械制造", "家具")),
    ("社会组织行业党委", "市民政局", ()),
    ("律师行业党委", "市司法局", ()),
    ("互联网行业党委", "市委网信办", ("信息技术",)),
    ("快递物流行业党委", "市邮政管理局", ("物流",)),
    ("陶瓷产业行业党委", "市工业和信息化局", ("陶瓷",)),
    ("商贸流通行业党委", "市商务局", ("商贸", "食品")),
    ("纺织服装行业党委", "市市场监督管理局", ("纺织服装",)),
)
_YEAR = (dt.date(2019, 1, 1), dt.date(2019, 12, 31))  # "去年共召开联席会960余次"


def build(b: Builder) -> None:
    p, f, rng = b.profile, b.profile.figures, b.rng
    t = territory(b)
    city = t.root
    is_street = [town.level == RegionLevel.STREET for town in t.towns]
    communities = spread(f["communities"], [4.0 if s else 1.5 for s in is_street], minimum=1)
    villages = spread(p.params["villages"], [0.4 if s else 1.0 for s in is_street], minimum=1)
    taken_by_district: dict[str, set[str]] = {}
    for town, c, v in zip(t.towns, communities, villages, strict=True):
        add_places(b, t, town, c, v, taken_by_district.setdefault(town.district, set()))

    town_org: dict[str, str] = {}
    for town in t.towns:
        if town.level == RegionLevel.STREET:
            town_org[town.id] = b.org(town.name + "党工委", OrgKind.STREET, OrgLevel.WORKING_COMMITTEE, town)
        else:
            town_org[town.id] = b.org(town.name + "党委", OrgKind.TOWN, OrgLevel.COMMITTEE, town)

    # three grid levels: the community or village itself, compounds/groups/buildings, and
    # each responsible member's area; the responsible members belong to the community's org
    places = t.communities + t.villages
    level2 = spread(f["grids_level2"], [rng.uniform(0.5, 1.5) for _ in places], minimum=1)
    level3_total = f["grids_level3"]
    place_org: dict[str, str] = {}
    l2_all: list[tuple[Area, Area]] = []  # (level-2 grid, its place)
    l1_of: dict[str, Area] = {}
    for place, n2 in zip(places, level2, strict=True):
        (l1,) = grids(b, place, [place.name + "一级网格"], 1)
        l1_of[place.id] = l1
        l2_names = [_level2_name(b, place, i) for i in range(1, n2 + 1)]
        l2_all += [(g, place) for g in grids(b, l1, l2_names, 2)]
    level3 = spread(level3_total, [rng.uniform(0.5, 1.5) for _ in l2_all], minimum=1)
    l3_by_place: dict[str, list[Area]] = {}
    for (l2, place), n3 in zip(l2_all, level3, strict=True):
        l3_names = [f"{l2.name}第{i}党员责任区" for i in range(1, n3 + 1)]
        l3_by_place.setdefault(place.id, []).extend(grids(b, l2, l3_names, 3))
    for place in places:
        duties = l3_by_place[place.id]
        size = len(duties) // 2 + rng.randint(3, 10)  # a member may look after two areas
        level = level_for(size)
        kind = OrgKind.COMMUNITY if place.level == RegionLevel.COMMUNITY else OrgKind.VILLAGE
        oid = b.org(place.name + names.org_suffix(level), kind, level, place, under=town_org[place.id[:9]])
        place_org[place.id] = oid
        people = b.members(oid, place, size)
        for i, grid in enumerate(duties):
            b.buf.link(RelType.RESPONSIBLE_FOR, Label.MEMBER, people[i % size], Label.REGION, grid.id)

    # city and district agencies, key enterprises and the 100 政企共建 pairings
    make = UnitFactory(b, city, town_org)
    make.short = "佛山市"
    agencies: list[Stationed] = []
    for _ in range(f["agency_enterprise_pairings"]):
        town = rng.choice(t.towns)
        agencies.append(make.organisation_unit(OrgKind.AGENCY, town, town, rng.randint(8, 40)))
    key_firms = [
        make.enterprise_unit(
            rng.choice(p.industries),
            Ownership.STATE if rng.random() < 0.15 else Ownership.PRIVATE,
            *_somewhere(b, t.towns),
            rng.randint(5, 45),
            True,
        )
        for _ in range(f["agency_enterprise_pairings"])
    ]
    for agency, firm in zip(agencies, key_firms, strict=True):
        b.agreement(
            f"{agency.name}与{firm.name}政企共建结对协议",
            AgreementKind.PAIRING,
            agency.unit,
            firm.unit,
            b.day(dt.date(2019, 3, 1), dt.date(2020, 5, 31)),
            years=2,
        )
    firms = key_firms + [
        make.enterprise_unit(
            rng.choice(p.industries), Ownership.PRIVATE, *_somewhere(b, t.towns), rng.randint(3, 8), rng.random() < 0.3
        )
        for _ in range(p.params["other_enterprises"])
    ]
    social = [make.organisation_unit(OrgKind.SOCIAL, *_somewhere(b, t.towns), rng.randint(3, 8)) for _ in range(40)]

    _industry_committees(b, city, make, firms, social)
    joint = _joint_meetings(b, t.towns, t.communities, town_org, place_org, firms + social + agencies)
    _meetings(b, joint)
    _centres(b, t.towns, places, town_org, place_org)
    _lists(b, firms + social, place_org)


def _level2_name(b: Builder, place: Area, i: int) -> str:
    roll = b.rng.random()
    if place.level == RegionLevel.VILLAGE and roll < 0.6:
        return f"{place.name}第{i}村民小组"
    if roll < 0.8:
        return names.compound_name(b.rng)
    return names.building_name(b.rng)


def _somewhere(b: Builder, towns: list[Area]) -> tuple[Area, Area]:
    town = b.rng.choice(towns)
    return (b.rng.choice(town.children) if town.children else town), town


def _industry_committees(
    b: Builder, city: Area, make: UnitFactory, firms: list[Stationed], social: list[Stationed]
) -> None:
    rng = b.rng
    for title, department, industries in _INDUSTRY_COMMITTEES:
        lead = make.organisation_unit(OrgKind.AGENCY, city, city, rng.randint(10, 40), f"佛山{department}")
        assert lead.org is not None
        # the 行业党委 itself: an organisation of kind INDUSTRY under its department
        committee = b.org(f"佛山市{title}", OrgKind.INDUSTRY, OrgLevel.COMMITTEE, city, under=lead.org)
        aid = b.alliance(
            f"佛山市{title}", AllianceKind.INDUSTRY_COMMITTEE, committee, [city], since=dt.date(2018, 7, 1)
        )
        b.join(lead.org, aid, "CORE", dt.date(2018, 7, 1))
        if title == "社会组织行业党委":
            pool = social
        elif title == "律师行业党委":
            pool = [_law_firm(b, make, city, committee) for _ in range(12)]
        else:
            pool = [u for u in firms if u.org and any(i in u.name for i in _name_parts(industries))]
        for u in pool:
            if u.org is not None:
                b.join(u.org, aid, "MEMBER_UNIT", b.day(dt.date(2018, 7, 1), dt.date(2020, 5, 31)))


def _name_parts(industries: tuple[str, ...]) -> list[str]:
    return [part for i in industries for part in names.INDUSTRY_NAME_PARTS[i]]


def _law_firm(b: Builder, make: UnitFactory, city: Area, committee: str) -> Stationed:
    """Law firms have party branches but no Enterprise node (they are not companies)."""
    name = make.unique(f"广东{names.brand(b.rng)}律师事务所")
    size = b.rng.randint(3, 15)
    oid = b.org(name + "党支部", OrgKind.NON_PUBLIC, OrgLevel.BRANCH, city, under=committee)
    people = b.members(oid, city, size)
    return Stationed(name, OrgKind.NON_PUBLIC, (Label.ORGANISATION, oid), oid, city, city, people)


def _joint_meetings(
    b: Builder,
    towns: list[Area],
    communities: list[Area],
    town_org: dict[str, str],
    place_org: dict[str, str],
    units: list[Stationed],
) -> list[tuple[str, list[str]]]:
    """Every town/street and city community runs a joint meeting (党建联席会议) and signs
    co-building agreements with key units and enterprises nearby."""
    rng = b.rng
    near: dict[str, list[Stationed]] = {}
    for u in units:
        if u.org is not None:
            for area_id in dict.fromkeys((u.area.id, u.town.id)):  # ordered: sets vary by hash seed
                near.setdefault(area_id, []).append(u)
    out: list[tuple[str, list[str]]] = []
    for area, lead in [(t, town_org[t.id]) for t in towns] + [(c, place_org[c.id]) for c in communities]:
        aid = b.alliance(
            f"{area.name}党建联席会议", AllianceKind.JOINT_MEETING, lead, [area], since=dt.date(2018, 9, 1)
        )
        here = near.get(area.id, [])
        members = rng.sample(here, min(len(here), rng.randint(2, 6)))
        for u in members:
            assert u.org is not None
            b.join(u.org, aid, "MEMBER_UNIT", dt.date(2018, 9, 1))
            if rng.random() < 0.5:
                b.agreement(
                    f"{area.name}与{u.name}共建协议",
                    AgreementKind.CO_BUILDING,
                    (Label.ORGANISATION, lead),
                    u.unit,
                    b.day(dt.date(2018, 9, 1)),
                )
        out.append((aid, [lead, *(u.org for u in members if u.org)]))
    return out


def _meetings(b: Builder, joint: list[tuple[str, list[str]]]) -> None:
    rng = b.rng
    counts = spread(b.profile.figures["joint_meetings"], [rng.uniform(0.5, 1.5) for _ in joint], minimum=1)
    topics = ("环境卫生整治协调会", "居民停车难协商会", "党建联席会议", "共建项目推进会", "民生实事协商会")
    for (aid, orgs), n in zip(joint, counts, strict=True):
        for _ in range(n):
            held = b.day(*_YEAR)
            mid = b.meeting(aid, held, rng.choice(topics), "联席会议", orgs)
            if rng.random() < 0.5:
                status = MatterStatus.DONE if rng.random() < 0.8 else MatterStatus.IN_PROGRESS
                b.matter(
                    mid,
                    held,
                    rng.choice(names.MATTER_TITLES),
                    rng.choice(list(MatterMode)).value,
                    status.value,
                    rng.choice(orgs),
                )


def _centres(
    b: Builder, towns: list[Area], places: list[Area], town_org: dict[str, str], place_org: dict[str, str]
) -> None:
    """Two levels of service centres; ten town centres exceed 3,000 m², four of them 10,000 m²."""
    rng = b.rng
    f = b.profile.figures
    large = f["service_centres_over_10000m2"]
    big = f["service_centres_over_3000m2"] - large
    for i, town in enumerate(rng.sample(towns, len(towns))):
        if i < large:
            area = rng.randint(10_200, 16_000)
        elif i < large + big:
            area = rng.randint(3_200, 9_800)
        else:
            area = rng.randint(800, 2_900)
        b.centre(town.name + "党群服务中心", town, town_org[town.id], area)
    for place in places:
        b.centre(place.name + "党群服务中心", place, place_org[place.id], rng.randint(120, 1_500))


def _lists(b: Builder, units: list[Stationed], place_org: dict[str, str]) -> None:
    rng = b.rng
    claimants: list[Unit] = [(Label.ORGANISATION, o) for o in sorted(set(place_org.values()))]
    for _ in range(b.profile.params["list_items"]):
        unit = rng.choice(units)
        row = b.item(unit.unit, rng.choice(names.LIST_TEMPLATES), b.day(*_YEAR))
        if rng.random() < 0.3:
            b.claims(row, rng.sample(claimants, 2))
