"""从化区 党建一体化联动: 8 regional committees in 6 towns/streets (温泉风景名山区党委: 16 orgs,
437 members), 221 units and 10,254 in-service members reporting, and the 如愿行动 wish platform
(440 wishes, 360 claimed, 321 fulfilled, 1,592 contributors, 10 wish-warehouse enterprises)."""

from __future__ import annotations

import datetime as dt

from service.demo import names
from service.demo.builder import Area, Builder, Unit, iso, level_for, spread
from service.demo.dataset import Row
from service.demo.regions import add_places, grids, territory
from service.demo.units import Stationed, UnitFactory
from service.model import (
    AllianceKind,
    Label,
    MatterMode,
    MatterStatus,
    OrgKind,
    OrgLevel,
    Ownership,
    RegionLevel,
    RelType,
    TeamKind,
    WishStatus,
)

_KNOWN = {"温泉镇": ("温泉社区",), "良口镇": ("塘尾村", "米埗村")}
# (town, committee); the first is led by 温泉社区's party org, the others by their town
_COMMITTEES = (
    ("温泉镇", "温泉风景名山区党委"),
    ("温泉镇", "温泉财富小镇党委"),
    ("江埔街道", "工匠小镇党委"),
    ("江埔街道", "江埔商贸物流区党委"),
    ("良口镇", "生态设计小镇党委"),
    ("吕田镇", "莲麻小镇党委"),
    ("太平镇", "明珠工业园区党委"),
    ("城郊街道", "西和万花风情小镇党委"),
)
# units of the 温泉 area inside 温泉风景名山区党委 (all of them also report as units)
_WENQUAN_UNITS = (
    (OrgKind.INSTITUTION, "广东省温泉疗养院"),
    (OrgKind.SOE, "广州从化温泉宾馆有限公司"),
    (OrgKind.INSTITUTION, "温泉镇中心小学"),
    (OrgKind.INSTITUTION, "温泉镇卫生院"),
    (OrgKind.AGENCY, "温泉派出所"),
    (OrgKind.AGENCY, "温泉供电所"),
    (OrgKind.AGENCY, "温泉市场监管所"),
    (OrgKind.AGENCY, "温泉司法所"),
    (OrgKind.NON_PUBLIC, "广州温泉财富小镇投资有限公司"),
)
_ECO_TOWN = ("良口镇党校", "湾区设计开放大学")  # in 生态设计小镇党委 by name
_WENQUAN_VILLAGES = 6  # with 温泉社区 and the nine units: 16 organisations
_WENQUAN_TEAMS = (
    "党旗红先锋队",
    "红袖章联防队",
    "环境整治突击队",
    "文旅服务队",
    "生态巡护队",
    "平安巡逻队",
    "志愿服务队",
)
_REPORTING_MIX = (OrgKind.AGENCY,) * 80 + (OrgKind.INSTITUTION,) * 62 + (OrgKind.SOE,) * 24
_WISH_PLAN = (
    (WishStatus.RATED, 250),
    (WishStatus.FULFILLED, 71),
    (WishStatus.ACCEPTED, 39),
    (WishStatus.DISPATCHED, 35),
    (WishStatus.CANCELLED, 20),
    (WishStatus.PUBLISHED, 25),
)
_PLATFORM_OPENED = dt.date(2020, 4, 27)


def build(b: Builder) -> None:
    p, f, rng = b.profile, b.profile.figures, b.rng
    t = territory(b)
    district = t.districts[0]
    taken: set[str] = set()
    is_street = [town.level == RegionLevel.STREET for town in t.towns]
    communities = spread(p.params["communities"], [3.0 if s else 1.0 for s in is_street], 1)
    villages = spread(p.params["villages"], [0.6 if s else 1.0 for s in is_street], 1)
    for town, c, v in zip(t.towns, communities, villages, strict=True):
        add_places(b, t, town, c, v, taken, _KNOWN.get(town.name, ()))
    town_by_name = {town.name: town for town in t.towns}
    wenquan = town_by_name["温泉镇"]

    town_org: dict[str, str] = {}
    for town in t.towns:
        kind, level = (
            (OrgKind.STREET, OrgLevel.WORKING_COMMITTEE)
            if town.level == RegionLevel.STREET
            else (OrgKind.TOWN, OrgLevel.COMMITTEE)
        )
        suffix = "党工委" if kind == OrgKind.STREET else "党委"
        town_org[town.id] = b.org(town.name + suffix, kind, level, town)

    # 温泉风景名山区党委: 温泉社区, six villages and nine units hold exactly 437 members
    wq_places = [c for c in wenquan.children if c.name == "温泉社区"]
    wq_places += [v for v in wenquan.children if v.level == RegionLevel.VILLAGE][:_WENQUAN_VILLAGES]
    wq_sizes = spread(f["wenquan_members"], [rng.uniform(0.6, 1.6) for _ in range(16)], 8)
    place_org: dict[str, str] = {}
    roster: dict[str, list[str]] = {}
    for place in t.communities + t.villages:
        size = wq_sizes.pop(0) if place in wq_places else rng.randint(5, 20)
        level = level_for(size)
        kind = OrgKind.COMMUNITY if place.level == RegionLevel.COMMUNITY else OrgKind.VILLAGE
        oid = b.org(place.name + names.org_suffix(level), kind, level, place, under=town_org[place.id[:9]])
        place_org[place.id] = oid
        roster[oid] = b.members(oid, place, size)

    # 221 reporting units; each keeps a few members who did not report (retired, posted away)
    make = UnitFactory(b, district, town_org)
    wq_reporting = [max(1, size - rng.randint(0, 2)) for size in wq_sizes]
    others = f["reporting_units"] - len(_WENQUAN_UNITS)
    rest = spread(f["reporting_members"] - sum(wq_reporting), [rng.uniform(0.3, 2.0) for _ in range(others)], 5)
    units: list[tuple[Stationed, int]] = []  # (unit, how many of its members report)
    for (kind, name), size, reporting in zip(_WENQUAN_UNITS, wq_sizes, wq_reporting, strict=True):
        units.append((_unit(b, make, kind, wenquan, wenquan, size, name), reporting))
    kinds = list(_REPORTING_MIX) + [OrgKind.NON_PUBLIC] * (others - len(_REPORTING_MIX))
    fixed = {0: "从化区民政局", len(_REPORTING_MIX) - 1: "广州市从化区流溪集团有限公司"}
    for n, (kind, reporting) in enumerate(zip(kinds, rest, strict=True)):
        town = rng.choice(t.towns)
        area = rng.choice(town.children) if rng.random() < 0.5 else town
        size = reporting + rng.randint(0, 4)
        units.append((_unit(b, make, kind, area, town, size, fixed.get(n)), reporting))

    # 双报到: reporters go home to 221 communities and villages, every one receiving some
    receivers = [place_org[c.id] for c in t.communities]
    extra = f["reporting_units"] - len(receivers)
    receivers += [place_org[v.id] for v in rng.sample(t.villages, extra)]
    reporters = [m for unit, reporting in units for m in unit.members[:reporting]]
    rng.shuffle(reporters)
    for i, mid in enumerate(reporters):
        home = receivers[i] if i < len(receivers) else rng.choice(receivers)
        on = iso(b.day(dt.date(2019, 6, 1), dt.date(2020, 11, 30)))
        b.buf.link(RelType.REPORTED_TO, Label.MEMBER, mid, Label.ORGANISATION, home, on=on)
    for unit, _ in units:
        assert unit.org is not None
        roster[unit.org] = unit.members

    # design-town enterprises (生态设计小镇) and the ten wish-warehouse enterprises
    liangkou = town_by_name["良口镇"]
    designers = [
        make.enterprise_unit(
            "设计",
            Ownership.PRIVATE,
            rng.choice(liangkou.children),
            liangkou,
            rng.randint(3, 8),
            True,
            wishWarehouse=False,
        )
        for _ in range(40)
    ]
    designers += [
        make.organisation_unit(OrgKind.INSTITUTION, liangkou, liangkou, rng.randint(8, 30), name) for name in _ECO_TOWN
    ]
    warehouses = [
        make.enterprise_unit(
            rng.choice(("零售", "食品", "农业")),
            Ownership.PRIVATE,
            *_somewhere(b, t.towns),
            0,
            False,
            wishWarehouse=True,
        )
        for _ in range(f["wish_warehouses"])
    ]
    for _ in range(p.params["other_enterprises"]):
        make.enterprise_unit(
            rng.choice(p.industries), Ownership.PRIVATE, *_somewhere(b, t.towns), 0, False, wishWarehouse=False
        )

    stationed = [u for u, _ in units] + designers
    _committees(b, town_by_name, town_org, place_org, stationed, wq_places, roster)
    _wishes(b, t.communities + t.villages, place_org, [u for u, _ in units], warehouses, roster)
    _lists(b, stationed, place_org)
    for town in t.towns:
        b.centre(town.name + "党群服务中心", town, town_org[town.id], rng.randint(600, 2500))
    for place in t.communities:
        b.centre(place.name + "党群服务站", place, place_org[place.id], rng.randint(150, 800))


def _somewhere(b: Builder, towns: list[Area]) -> tuple[Area, Area]:
    town = b.rng.choice(towns)
    return (b.rng.choice(town.children) if town.children else town), town


def _unit(
    b: Builder,
    make: UnitFactory,
    kind: OrgKind,
    area: Area,
    town: Area,
    size: int,
    name: str | None,
) -> Stationed:
    if kind in (OrgKind.SOE, OrgKind.NON_PUBLIC):
        ownership = Ownership.STATE if kind == OrgKind.SOE else Ownership.PRIVATE
        industry = b.rng.choice(b.profile.industries)
        return make.enterprise_unit(industry, ownership, area, town, size, True, name, wishWarehouse=False)
    return make.organisation_unit(kind, area, town, size, name)


def _committees(
    b: Builder,
    town_by_name: dict[str, Area],
    town_org: dict[str, str],
    place_org: dict[str, str],
    units: list[Stationed],
    wq_places: list[Area],
    roster: dict[str, list[str]],
) -> None:
    """Eight regional committees; 温泉风景名山区党委 has exactly its 16 organisations."""
    rng = b.rng
    wq_names = {name for _, name in _WENQUAN_UNITS}
    by_town: dict[str, list[str]] = {}
    for u in units:
        if u.org is not None and u.name not in wq_names:
            by_town.setdefault(u.town.id, []).append(u.org)
    wq_units = [u.org for u in units if u.org and u.name in wq_names]
    for town_name, title in _COMMITTEES:
        town = town_by_name[town_name]
        since = dt.date(2019, 4, 1)
        if title == "温泉风景名山区党委":
            lead = place_org[wq_places[0].id]
            members = [place_org[v.id] for v in wq_places[1:]] + [o for o in wq_units if o]
        else:
            lead = town_org[town.id]
            # the seed's own members first: 塘尾村, 米埗村, 良口镇党校, 湾区设计开放大学
            known = [u.org for u in units if u.org and u.name in _ECO_TOWN]
            known += [place_org[c.id] for c in town.children if c.name in _KNOWN.get(town_name, ())]
            if title != "生态设计小镇党委":
                known = []
            villages = [place_org[c.id] for c in town.children if place_org[c.id] not in known]
            pool = [o for o in by_town.get(town.id, []) if o not in known]
            wanted = 60 if title == "生态设计小镇党委" else rng.randint(8, 20)
            members = known + rng.sample(pool, min(len(pool), wanted - 2 - len(known))) + rng.sample(villages, 2)
        aid = b.alliance(title, AllianceKind.REGIONAL_COMMITTEE, lead, [town], since=since)
        for org in members:
            b.join(org, aid, "CORE" if org in wq_units[:2] else "MEMBER_UNIT", since)
        everyone = [lead, *members]
        for _ in range(20 if title == "温泉风景名山区党委" else 4):
            held = b.day(since)
            mid = b.meeting(aid, held, rng.choice(names.MEETING_TOPICS), "联席会议", everyone)
            status = MatterStatus.DONE if rng.random() < 0.75 else MatterStatus.IN_PROGRESS
            b.matter(
                mid,
                held,
                rng.choice(names.MATTER_TITLES),
                rng.choice(list(MatterMode)).value,
                status.value,
                rng.choice(everyone),
            )
        if title == "温泉风景名山区党委":
            _wenquan_teams(b, wq_places[0], lead, [m for o in everyone for m in roster[o]])


def _wenquan_teams(b: Builder, community: Area, lead: str, people: list[str]) -> None:
    """Seven 群防共治 teams and nine basic grids, each with a member responsible for it."""
    rng = b.rng
    for title in _WENQUAN_TEAMS:
        kind = TeamKind.COMMANDO if title.endswith("突击队") else TeamKind.VOLUNTEER
        tid = b.team(f"温泉风景名山区{title}", kind, lead)
        for mid in rng.sample(people, 12):
            b.serve_in(mid, tid)
    for grid in grids(b, community, [f"温泉片区第{i}基础网格" for i in range(1, 10)], 1):
        b.buf.link(RelType.RESPONSIBLE_FOR, Label.MEMBER, rng.choice(people), Label.REGION, grid.id)


def _wishes(
    b: Builder,
    places: list[Area],
    place_org: dict[str, str],
    units: list[Stationed],
    warehouses: list[Stationed],
    roster: dict[str, list[str]],
) -> None:
    """如愿行动: residents order, the platform dispatches, members, units and wish warehouses
    accept and contribute, residents rate."""
    f, rng = b.profile.figures, b.rng
    civil = next(u for u in units if u.name == "从化区民政局")
    assert civil.org is not None
    statuses = [s for s, n in _WISH_PLAN for _ in range(n)]
    assert len(statuses) == f["wishes"]
    published = sorted(b.day(_PLATFORM_OPENED) for _ in statuses)  # older wishes got further
    orgs = [u.org for u in units if u.org is not None]
    members = [m for people in roster.values() for m in people]
    actors: list[Unit] = [(Label.ENTERPRISE, w.unit[1]) for w in warehouses]
    actors += [(Label.ORGANISATION, o) for o in [civil.org, *rng.sample([o for o in orgs if o != civil.org], 21)]]
    actors += [(Label.MEMBER, m) for m in rng.sample(members, f["contributors"] - len(actors))]
    claimed = [i for i, s in enumerate(statuses) if s in (WishStatus.ACCEPTED, WishStatus.FULFILLED, WishStatus.RATED)]
    helpers: dict[int, list[Unit]] = {i: [] for i in claimed}
    rng.shuffle(actors)
    for n, actor in enumerate(actors):
        helpers[claimed[n % len(claimed)]].append(actor)
    for actor in rng.sample(actors, len(actors) // 8):  # some came back to help again
        helpers[rng.choice(claimed)].append(actor)

    for i, (status, day) in enumerate(zip(statuses, published, strict=True)):
        place = rng.choice(places)
        category, titles = rng.choice(names.WISH_TEMPLATES)
        row: Row = {
            "id": b.new_id("WISH"),
            "title": rng.choice(titles),
            "category": category,
            "status": status.value,
            "publishedOn": iso(day),
            "recipient": names.person_name(rng, rng.random() < 0.5),
            "recipientPhone": names.mobile(rng),
            "recipientAddress": names.address(rng, place.place),
        }
        if status == WishStatus.RATED:
            row["rating"] = rng.choice((5, 5, 5, 5, 4, 4, 3))
        wid = b.buf.add(Label.WISH, row)
        b.buf.link(RelType.IN, Label.WISH, wid, Label.REGION, place.id)
        if status != WishStatus.PUBLISHED and (status != WishStatus.CANCELLED or rng.random() < 0.5):
            to = civil.org if rng.random() < 0.3 else place_org[place.id]
            b.buf.link(RelType.DISPATCHED_TO, Label.WISH, wid, Label.ORGANISATION, to)
        if i in helpers:
            seen: set[str] = set()
            for n, (label, who) in enumerate(helpers[i]):
                if who in seen:
                    continue
                seen.add(who)
                on = iso(b.day(day, min(day + dt.timedelta(days=30), b.as_of)))
                if n == 0:  # whoever took the order (接单) gives to it too
                    b.buf.link(RelType.ACCEPTED, label, who, Label.WISH, wid, on=on)
                b.buf.link(RelType.CONTRIBUTED, label, who, Label.WISH, wid, on=on)
                # the last gift fulfils it: the funnel's days-to-fulfil (no extra draw, so the stream is unchanged)
                if status in (WishStatus.FULFILLED, WishStatus.RATED):
                    row["fulfilledOn"] = max(row.get("fulfilledOn", on), on)


def _lists(b: Builder, units: list[Stationed], place_org: dict[str, str]) -> None:
    rng = b.rng
    villages = [(Label.ORGANISATION, o) for o in sorted(set(place_org.values()))]
    for _ in range(b.profile.params["list_items"]):
        unit = rng.choice(units)
        template = rng.choice(names.LIST_TEMPLATES)
        row = b.item(unit.unit, template, b.day(dt.date(2020, 1, 1)))
        if rng.random() < 0.3:
            b.claims(row, rng.sample(villages, 2))
