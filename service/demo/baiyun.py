"""白云区 "三大" 机制: 18 street 大工委, 48 urban-village 大党委 ("1+5+X"), 426 economic-cooperative
大支部; 66 think tanks, 198 lists of 2,717 items, 1,925 joint meetings and their matters."""

from __future__ import annotations

import datetime as dt

from service.demo import names
from service.demo.builder import Area, Builder, Unit, level_for, spread
from service.demo.regions import add_places, grids, territory
from service.demo.units import Stationed, stationed_units
from service.model import (
    AgreementKind,
    AllianceKind,
    Label,
    MatterMode,
    MatterStatus,
    OrgKind,
    OrgLevel,
    TeamKind,
)

_KNOWN = {"黄石街道": ("江夏村",), "永平街道": ("永泰村",)}
_KNOWN_COOPS = {"永泰村": ("元下田",)}
_START = dt.date(2022, 8, 1)  # 广州 launched the 城中村 work in August 2022
_OTHER_MODES = (MatterMode.MAJOR, MatterMode.PRACTICAL, MatterMode.URGENT, MatterMode.DIFFICULT)
_CHAINS = (("轨道交通", "轨道交通产业链大党委"), ("化妆品", "化妆品产业链大党委"))


def build(b: Builder) -> None:
    p, f, rng = b.profile, b.profile.figures, b.rng
    t = territory(b)
    district = t.districts[0]
    taken: set[str] = set()
    villages = spread(f["urban_villages"], [rng.uniform(0.5, 1.5) for _ in t.towns], minimum=1)
    communities = spread(p.params["communities"], [1.0] * len(t.towns), minimum=2)
    for town, v, c in zip(t.towns, villages, communities, strict=True):
        add_places(b, t, town, c, v, taken, _KNOWN.get(town.name, ()))

    # party organisations: street working committees, 经济联社 committees, communities, 经济社
    street_org: dict[str, str] = {}
    village_org: dict[str, str] = {}
    community_org: dict[str, str] = {}
    for town in t.towns:
        street_org[town.id] = b.org(town.name + "党工委", OrgKind.STREET, OrgLevel.WORKING_COMMITTEE, town)
    for place in t.villages:
        village_org[place.id] = b.org(
            place.name + "经济联社党委",
            OrgKind.VILLAGE,
            OrgLevel.COMMITTEE,
            place,
            under=street_org[place.id[:9]],
        )
    for place in t.communities:
        size = rng.randint(10, 40)
        level = level_for(size)
        oid = b.org(
            place.name + names.org_suffix(level),
            OrgKind.COMMUNITY,
            level,
            place,
            under=street_org[place.id[:9]],
        )
        b.members(oid, place, size)
        community_org[place.id] = oid

    coop_counts = spread(f["economic_coop_branches"], [rng.uniform(0.5, 1.5) for _ in t.villages], 3)
    coops: list[tuple[Area, str]] = []  # (the cooperative's grid, its party branch)
    for village, n in zip(t.villages, coop_counts, strict=True):
        known = _KNOWN_COOPS.get(village.name, ())
        coop_names = [*known, *(f"{village.name[:-1]}第{i}" for i in range(len(known) + 1, n + 1))]
        # an economic cooperative (经济社) is the rural grid; its members form the 大支部
        for grid in grids(b, village, [c + "经济社" for c in coop_names[:n]], 1, kind="ECONOMIC_COOP"):
            size = rng.randint(3, 12)
            oid = b.org(
                f"{village.name}{grid.name}党支部",
                OrgKind.ECONOMIC_COOP,
                OrgLevel.BRANCH,
                grid,
                under=village_org[village.id],
            )
            b.members(oid, grid, size)
            coops.append((grid, oid))

    units = stationed_units(
        b,
        t.towns,
        district,
        street_org,
        {"agency_units": 50, "institution_units": 40, "social_units": 20, "soe_units": 20},
        p.params["stationed_units"],
        embed_share=0.5,
    )
    by_town: dict[str, list[Stationed]] = {}
    for u in units:
        if u.org is not None:
            by_town.setdefault(u.town.id, []).append(u)

    # the three alliance kinds, with their part-time committee members (兼职委员)
    joined: dict[tuple[str, str], None] = {}  # (org, alliance), a dict to keep insertion order

    def join(org: str, aid: str, role: str) -> None:
        if (org, aid) not in joined:
            joined[org, aid] = None
            b.join(org, aid, role, b.day(_START, _START + dt.timedelta(days=90)))

    def part_timers(aid: str, pool: list[Stationed], n: int) -> None:
        for unit in rng.sample(pool, min(n, len(pool))):
            assert unit.org is not None
            b.serve_on(b.member(unit.org, unit.area), aid)
            join(unit.org, aid, "MEMBER_UNIT")

    alliances: list[tuple[str, str, list[str]]] = []  # (id, kind, member org ids)
    for town in t.towns:
        lead = street_org[town.id]
        aid = b.alliance(town.name + "大工委", AllianceKind.STREET_WORKING_COMMITTEE, lead, [town], since=_START)
        part_timers(aid, by_town.get(town.id, []), rng.randint(4, 8))
        alliances.append((aid, AllianceKind.STREET_WORKING_COMMITTEE, [lead]))
    for village in t.villages:
        town_id = village.id[:9]
        lead = street_org[town_id]  # "1": the street committee leads it
        aid = b.alliance(
            village.name + "大党委", AllianceKind.COMMUNITY_BIG_COMMITTEE, lead, [village], model="1+5+X", since=_START
        )
        # "5": the 经济联社, a 村改居 community, stationed units, 两新 orgs, compounds
        join(village_org[village.id], aid, "CORE")
        nearby = [community_org[c.id] for c in t.communities if c.id[:9] == town_id]
        if nearby:
            join(rng.choice(nearby), aid, "MEMBER_UNIT")
        compound = b.org(
            f"{village.name}{names.compound_name(rng)}业委会党支部",
            OrgKind.COMPOUND,
            OrgLevel.BRANCH,
            village,
            under=village_org[village.id],
        )
        b.members(compound, village, rng.randint(3, 7))
        join(compound, aid, "MEMBER_UNIT")
        part_timers(aid, by_town.get(town_id, []), rng.randint(3, 6))
        alliances.append((aid, AllianceKind.COMMUNITY_BIG_COMMITTEE, [lead, village_org[village.id]]))
    for grid, coop_org in coops:
        aid = b.alliance(grid.name + "大支部", AllianceKind.ECONOMIC_COOP_BRANCH, coop_org, [grid], since=_START)
        part_timers(aid, by_town.get(grid.id[:9], []), rng.randint(1, 3))
        alliances.append((aid, AllianceKind.ECONOMIC_COOP_BRANCH, [coop_org]))
    for industry, title in _CHAINS:
        lead = b.org(
            f"{names.short_place(district.name)}{title[:-3]}党委", OrgKind.INDUSTRY, OrgLevel.COMMITTEE, district
        )
        aid = b.alliance(title, AllianceKind.INDUSTRY_COMMITTEE, lead, [district], since=_START)
        for u in units:
            if u.org is not None and u.name.find(industry[:2]) >= 0:
                join(u.org, aid, "MEMBER_UNIT")

    _think_tanks(b, street_org, village_org, units)
    _lists(b, units, street_org, village_org, community_org)
    _meetings(b, alliances, joined)
    for town in t.towns:
        b.centre(town.name + "党群服务中心", town, street_org[town.id], rng.randint(800, 3000))


def _think_tanks(
    b: Builder,
    street_org: dict[str, str],
    village_org: dict[str, str],
    units: list[Stationed],
) -> None:
    """66 think tanks (治理智囊团), one per street and per urban village, 453 distinct people:
    cadres of district units, scholars and 致富能手; a few serve in two."""
    f, rng = b.profile.figures, b.rng
    organisers = [(oid, "治理智囊团") for oid in street_org.values()]
    organisers += [(oid, "智囊团") for oid in village_org.values()]
    assert len(organisers) == f["think_tanks"]
    org_names = {row["id"]: row["name"] for row in b.buf.nodes[Label.ORGANISATION]}
    sizes = spread(f["think_tank_members"], [1.0] * len(organisers), minimum=4)
    experts = [u for u in units if u.org is not None and u.kind in ("AGENCY", "INSTITUTION")]
    people: list[tuple[str, str]] = []
    teams: list[str] = []
    for (oid, suffix), size in zip(organisers, sizes, strict=True):
        base = org_names[oid].removesuffix("经济联社党委").removesuffix("党工委")
        tid = b.team(base + suffix, TeamKind.THINK_TANK, oid)
        teams.append(tid)
        for _ in range(size):
            unit = rng.choice(experts)
            assert unit.org is not None
            mid = b.member(unit.org, unit.area)
            b.serve_in(mid, tid)
            people.append((mid, tid))
    for mid, tid in rng.sample(people, 30):  # a few advise two villages
        b.serve_in(mid, rng.choice([other for other in teams if other != tid]))


def _lists(
    b: Builder,
    units: list[Stationed],
    street_org: dict[str, str],
    village_org: dict[str, str],
    community_org: dict[str, str],
) -> None:
    """198 member units each publish one 三张清单 list; 2,717 items in all. Projects of 18
    streets' co-building agreements (共建项目) are included in those agreements."""
    f, p, rng = b.profile.figures, b.profile, b.rng
    candidates: list[tuple[Unit, str]] = [(u.unit, u.town.id) for u in units]
    candidates += [((Label.ORGANISATION, o), r[:9]) for r, o in village_org.items()]
    candidates += [((Label.ORGANISATION, o), r[:9]) for r, o in community_org.items()]
    publishers = rng.sample(candidates, f["lists"])
    counts = spread(f["list_items"], [rng.uniform(0.4, 1.6) for _ in publishers], minimum=3)
    everyone = [c[0] for c in candidates]
    items: list[tuple[dict[str, object], Unit]] = []
    for (publisher, town_id), n in zip(publishers, counts, strict=True):
        agreement = None
        if publisher[0] == Label.ENTERPRISE or rng.random() < 0.3:
            signed = b.day(_START, _START + dt.timedelta(days=120))
            street = street_org[town_id]
            title = f"{b.name_of[street].removesuffix('党工委')}大工委与{b.name_of[publisher[1]]}共建项目协议"
            agreement = b.agreement(title, AgreementKind.CO_BUILDING, (Label.ORGANISATION, street), publisher, signed)
        for _ in range(n):
            template = rng.choice(names.LIST_TEMPLATES)
            include = agreement if agreement and template[0] == "PROJECT" else None
            row = b.item(publisher, template, b.day(_START), None, include)
            items.append((row, publisher))
    for row, publisher in rng.sample(items, p.params["claimed_items"]):
        b.claims(row, [u for u in rng.sample(everyone, 4) if u != publisher])


def _meetings(b: Builder, alliances: list[tuple[str, str, list[str]]], joined: dict[tuple[str, str], None]) -> None:
    """1,925 joint meetings: 大工委 quarterly, 大党委 monthly, 大支部 as needed; they decide
    the matters (321 要事共决) and 2,159 matters are done."""
    f, p, rng = b.profile.figures, b.profile, b.rng
    members: dict[str, list[str]] = {}
    for org, aid in joined:
        members.setdefault(aid, []).append(org)
    quarterly = [a for a in alliances if a[1] == AllianceKind.STREET_WORKING_COMMITTEE]
    monthly = [a for a in alliances if a[1] == AllianceKind.COMMUNITY_BIG_COMMITTEE]
    ad_hoc = [a for a in alliances if a[1] == AllianceKind.ECONOMIC_COOP_BRANCH]
    months = [dt.date(2022 + (7 + i) // 12, (7 + i) % 12 + 1, 1) for i in range(11)]
    plan: list[tuple[tuple[str, str, list[str]], dt.date]] = []
    plan += [(a, dt.date(q.year, q.month, 15)) for a in quarterly for q in months[1::3][:4]]
    plan += [(a, m + dt.timedelta(days=rng.randint(0, 25))) for a in monthly for m in months]
    rest = spread(f["meetings"] - len(plan), [1.0] * len(ad_hoc), minimum=1)
    plan += [(a, b.day(_START)) for a, n in zip(ad_hoc, rest, strict=True) for _ in range(n)]
    meetings: list[tuple[str, dt.date, list[str]]] = []
    for (aid, _, leads), held in plan:
        attendees = list(dict.fromkeys(leads + members.get(aid, [])[:6]))
        topic = rng.choice(names.MEETING_TOPICS)
        mid = b.meeting(aid, held, topic, "联席会议", attendees)
        meetings.append((mid, held, attendees))

    total = p.params["matters"]
    important, done = f["important_matters"], f["matters_done"]
    important_done = p.params["important_done"]
    modes = [MatterMode.IMPORTANT] * important + [rng.choice(_OTHER_MODES) for _ in range(total - important)]
    is_done = [i < important_done for i in range(important)] + [
        i < done - important_done for i in range(total - important)
    ]
    for mode, finished in zip(modes, is_done, strict=True):
        mid, held, attendees = rng.choice(meetings)
        status = MatterStatus.DONE if finished else rng.choice((MatterStatus.OPEN, MatterStatus.IN_PROGRESS))
        b.matter(mid, held, rng.choice(names.MATTER_TITLES), mode.value, status.value, rng.choice(attendees))
