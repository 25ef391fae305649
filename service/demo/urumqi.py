"""乌鲁木齐经开区: 大工委/大党委 in every street and community, contract co-building with 1,416
stationed units, one 1,364-item list with 1,035 shared parking spaces, 9 property-company orgs."""

from __future__ import annotations

import datetime as dt

from service.demo import names
from service.demo.builder import Area, Builder, Unit, level_for, spread
from service.demo.dataset import Row
from service.demo.regions import add_places, territory
from service.demo.units import Stationed, stationed_units
from service.model import (
    AgreementKind,
    AllianceKind,
    ItemStatus,
    Label,
    OrgKind,
    OrgLevel,
)

_VILLAGE_STREETS = ("头屯河街道", "王家沟街道", "三坪街道", "乌昌路街道")
_PARKING = next(t for t in names.LIST_TEMPLATES if t[1] == "停车位")
_OTHER_ITEMS = tuple(t for t in names.LIST_TEMPLATES if t[1] != "停车位")


def build(b: Builder) -> None:
    p, f, rng = b.profile, b.profile.figures, b.rng
    t = territory(b)
    taken: set[str] = set()
    per_street = spread(f["communities"], [rng.uniform(0.8, 1.2) for _ in t.towns], minimum=3)
    village_towns = [town for town in t.towns if town.name in _VILLAGE_STREETS]
    villages = dict(zip((v.id for v in village_towns), spread(f["villages"], [1] * 4), strict=True))
    for town, n in zip(t.towns, per_street, strict=True):
        add_places(b, t, town, n, villages.get(town.id, 0), taken)

    # street party working committees, community and village party orgs, their alliances
    host_of: dict[str, str] = {}  # region id -> the party org that signs as 甲方 there
    street_org: dict[str, str] = {}
    alliances: list[tuple[str, Area]] = []  # (alliance id, covered area)
    for town in t.towns:
        oid = b.org(town.name + "党工委", OrgKind.STREET, OrgLevel.WORKING_COMMITTEE, town)
        host_of[town.id] = street_org[town.id] = oid
        aid = b.alliance(
            town.name + "大工委",
            AllianceKind.STREET_WORKING_COMMITTEE,
            oid,
            [town],
            since=dt.date(2018, 9, 1),
        )
        alliances.append((aid, town))
        for place in town.children:
            size = rng.randint(8, 25)
            kind = OrgKind.COMMUNITY if place.level == "COMMUNITY" else OrgKind.VILLAGE
            level = level_for(size)
            cid = b.org(place.name + names.org_suffix(level), kind, level, place, under=oid)
            b.members(cid, place, size)
            host_of[place.id] = cid
            b.join(cid, aid, "MEMBER_UNIT", dt.date(2018, 9, 1))
            if kind == OrgKind.COMMUNITY:
                big = b.alliance(
                    place.name + "大党委",
                    AllianceKind.COMMUNITY_BIG_COMMITTEE,
                    cid,
                    [place],
                    since=dt.date(2019, 3, 1),
                )
                alliances.append((big, place))

    # the 1,416 stationed units, each signing with its community or street (契约化共建)
    units = stationed_units(
        b,
        t.towns,
        t.districts[0],
        street_org,
        p.params,
        f["signatory_units"],
        property_companies=f["property_company_orgs"],
    )
    agreements: list[tuple[str, Unit, Unit, dt.date]] = []
    for unit in units:
        host_area = unit.area if unit.area.id in host_of and rng.random() < 0.6 else unit.town
        signed = b.day(dt.date(2018, 3, 1))
        agreements.append(_sign(b, (Label.ORGANISATION, host_of[host_area.id]), unit, signed))
    for unit in rng.sample(units, p.params["second_agreements"]):
        signed = b.day(dt.date(2019, 1, 1))
        agreements.append(_sign(b, (Label.ORGANISATION, street_org[unit.town.id]), unit, signed))

    # 586 part-time committee members: unit heads, 兼职委员 of their street's or community's
    # alliance; big working committees take more of them
    seats = spread(
        f["part_time_members"],
        [3.0 if area.level in ("STREET", "TOWN") else 1.0 for _, area in alliances],
        minimum=2,
    )
    with_org = [u for u in units if u.org is not None]
    by_town: dict[str, list[Stationed]] = {}
    for u in with_org:
        by_town.setdefault(u.town.id, []).append(u)
    for (aid, area), n in zip(alliances, seats, strict=True):
        town_id = area.id if area.level in ("STREET", "TOWN") else area.id[:9]
        joined: set[str] = set()
        for unit in rng.sample(by_town[town_id], n):
            assert unit.org is not None
            role = rng.choice(("兼职委员", "兼职委员", "兼职副书记"))
            b.serve_on(b.member(unit.org, unit.area), aid, role)
            if unit.org not in joined:
                joined.add(unit.org)
                b.join(unit.org, aid, "MEMBER_UNIT", b.day(dt.date(2019, 1, 1)))

    # the list: 1,364 needs/resources/projects, 48 of them shared parking (1,035 spaces)
    weights = [rng.uniform(0.3, 2.0) for _ in range(p.params["parking_items"])]
    parking = spread(f["parking_spaces"], weights, minimum=5)
    items: list[tuple[Row, Unit]] = []
    for qty in parking:
        items.append(_publish(b, rng.choice(agreements), _PARKING, qty, guest=True))
    for _ in range(f["list_items"] - len(parking)):
        template = rng.choice(_OTHER_ITEMS)
        items.append(_publish(b, rng.choice(agreements), template, None, rng.random() < 0.75))
    open_items = [(row, pub) for row, pub in items if row["status"] == ItemStatus.OPEN]
    all_units = [u.unit for u in units]
    for row, publisher in rng.sample(open_items, p.params["claimed_items"]):
        b.claims(row, [u for u in rng.sample(all_units, 4) if u != publisher])

    # 19 party-mass service centres: every street's, and five model community stations
    for town in t.towns:
        b.centre(town.name + "党群服务中心", town, street_org[town.id], rng.randint(1000, 3000))
    for place in rng.sample(t.communities, f["service_centres"] - len(t.towns)):
        b.centre(place.name + "党群服务站", place, host_of[place.id], rng.randint(1000, 1600))


def _sign(b: Builder, host: Unit, unit: Stationed, signed: dt.date) -> tuple[str, Unit, Unit, dt.date]:
    kind = AgreementKind.CONTRACT if b.rng.random() < 0.3 else AgreementKind.CO_BUILDING
    title = f"{b.name_of[host[1]]}与{unit.name}共驻共建{'契约' if kind == AgreementKind.CONTRACT else '协议'}"
    return b.agreement(title, kind, host, unit.unit, signed), host, unit.unit, signed


def _publish(
    b: Builder,
    agreement: tuple[str, Unit, Unit, dt.date],
    template: names.Template,
    quantity: int | None,
    guest: bool,
) -> tuple[Row, Unit]:
    aid, host, unit, signed = agreement
    publisher = unit if guest else host
    status = ItemStatus.CLOSED if b.rng.random() < 0.05 else ItemStatus.OPEN
    include = aid if b.rng.random() < 0.8 else None
    return b.item(publisher, template, b.day(signed), quantity, include, status), publisher
