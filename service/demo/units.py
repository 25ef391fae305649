"""Stationed units (驻区单位): agencies, institutions, social organisations and enterprises,
with the party organisations that represent them in alliances."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from service.demo import names
from service.demo.builder import Area, Builder, Unit, level_for
from service.model import Label, OrgKind, OrgLevel, Ownership, RelType


@dataclass(slots=True)
class Stationed:
    name: str
    kind: OrgKind  # AGENCY, INSTITUTION, SOCIAL, SOE or NON_PUBLIC
    unit: Unit  # who signs and publishes: the Organisation, or the Enterprise itself
    org: str | None  # its party organisation, None for an enterprise without one
    area: Area  # where it is (a community/village, or the street itself)
    town: Area  # its street or town
    members: list[str]  # ids of the party members of its org


class UnitFactory:
    """Makes units of one replica with unique names; one per replica."""

    def __init__(self, b: Builder, district: Area, street_orgs: Mapping[str, str]) -> None:
        self.b = b
        self.district = district
        self.short = names.short_place(district.name)
        self.street_orgs = street_orgs  # town id -> its party (working) committee
        self.taken: set[str] = set()
        self._agency_parent: str | None = None
        self._serial = 0

    def agency_parent(self) -> str:
        """The district's 直属机关工委, created on first use."""
        if self._agency_parent is None:
            self._agency_parent = self.b.org(
                f"{self.short}直属机关工委",
                OrgKind.AGENCY,
                OrgLevel.WORKING_COMMITTEE,
                self.district,
            )
        return self._agency_parent

    def unique(self, name: str) -> str:
        """`name`, or a numbered variant when this replica already has a unit called that."""
        return self._name(name)

    def _name(self, make: str, *fallbacks: str) -> str:
        for candidate in (make, *fallbacks):
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        self._serial += 1
        candidate = f"{make}（{self._serial}）"
        self.taken.add(candidate)
        return candidate

    def _party_org(self, name: str, kind: OrgKind, area: Area, town: Area, size: int, org_name_tail: str = "") -> str:
        level = level_for(size)
        under = (
            self.agency_parent()
            if kind in (OrgKind.AGENCY, OrgKind.INSTITUTION, OrgKind.SOE)
            else self.street_orgs[town.id]
        )
        suffix = org_name_tail + names.org_suffix(level.value)
        return self.b.org(name + suffix, kind, level, area, under=under)

    def organisation_unit(
        self, kind: OrgKind, area: Area, town: Area, members: int, name: str | None = None
    ) -> Stationed:
        rng = self.b.rng
        town_short = names.short_place(town.name)
        if name is not None:
            name = self._name(name)
        elif kind == OrgKind.AGENCY:
            name = self._name(
                f"{self.short}{rng.choice(names.AGENCIES)}",
                f"{town_short}{rng.choice(names.STATIONS)}",
                f"{town_short}{rng.choice(names.STATIONS)}",
            )
        elif kind == OrgKind.INSTITUTION:
            school = rng.random() < 0.65
            pool = names.SCHOOL_KINDS if school else names.HOSPITAL_KINDS
            name = self._name(
                f"{town_short}{rng.choice(pool)}",
                f"{self.short}第{rng.randint(1, 40)}{rng.choice(names.SCHOOL_KINDS[:2])}",
            )
        else:
            name = self._name(
                f"{town_short}{rng.choice(names.SOCIAL_ORGS)}",
                f"{self.short}{rng.choice(names.SOCIAL_ORGS)}",
            )
        # a district bureau's party org is its 机关 branch; a street station's is just its own
        tail = "机关" if kind == OrgKind.AGENCY and name.startswith(self.short) else ""
        oid = self._party_org(name, kind, area, town, members, tail)
        people = self.b.members(oid, area, members)
        return Stationed(name, kind, (Label.ORGANISATION, oid), oid, area, town, people)

    def enterprise_unit(
        self,
        industry: str,
        ownership: Ownership,
        area: Area,
        town: Area,
        members: int,
        embed: bool,
        name: str | None = None,
        **extra: object,
    ) -> Stationed:
        rng = self.b.rng
        if name is None:
            for _ in range(20):
                name = names.company_name(rng, self.b.profile.place, industry)
                if name not in self.taken:
                    break
        assert name is not None
        name = self._name(name)
        eid = self.b.enterprise(industry, ownership.value, area, name, **extra)
        org: str | None = None
        people: list[str] = []
        kind = OrgKind.SOE if ownership == Ownership.STATE else OrgKind.NON_PUBLIC
        if embed:
            org = self._party_org(name, kind, area, town, members)
            self.b.buf.link(RelType.EMBEDDED_IN, Label.ORGANISATION, org, Label.ENTERPRISE, eid)
            people = self.b.members(org, area, members)
        return Stationed(name, kind, (Label.ENTERPRISE, eid), org, area, town, people)


def stationed_units(
    b: Builder,
    towns: Sequence[Area],
    district: Area,
    street_orgs: Mapping[str, str],
    counts: Mapping[str, int],
    total: int,
    property_companies: int = 0,
    embed_share: float = 0.3,
) -> list[Stationed]:
    """`total` units spread over the towns: the org-kind counts in `counts` (agency_units,
    institution_units, social_units, soe_units), `property_companies` property-management
    companies with their own party org, the rest private enterprises."""
    rng = b.rng
    make = UnitFactory(b, district, street_orgs)
    industries = [i for i in b.profile.industries if i != "物业服务"]
    weights = [1.0 / (1 + k * 0.35) for k in range(len(industries))]

    def where() -> tuple[Area, Area]:
        town = rng.choice(list(towns))
        if town.children and rng.random() < 0.7:
            return rng.choice(town.children), town
        return town, town

    plan = (
        [OrgKind.AGENCY] * counts.get("agency_units", 0)
        + [OrgKind.INSTITUTION] * counts.get("institution_units", 0)
        + [OrgKind.SOCIAL] * counts.get("social_units", 0)
    )
    soe = counts.get("soe_units", 0)
    private = total - len(plan) - soe - property_companies
    if private < 0:
        raise ValueError(f"unit counts exceed the total of {total}")
    out = [make.organisation_unit(kind, *where(), rng.randint(3, 8)) for kind in plan]
    for _ in range(soe):
        industry = rng.choices(industries, weights)[0]
        out.append(make.enterprise_unit(industry, Ownership.STATE, *where(), rng.randint(3, 12), True))
    for _ in range(property_companies):
        out.append(make.enterprise_unit("物业服务", Ownership.PRIVATE, *where(), rng.randint(3, 6), True))
    for _ in range(private):
        industry = rng.choices(industries, weights)[0]
        ownership = Ownership.FOREIGN if rng.random() < 0.04 else Ownership.PRIVATE
        embed = rng.random() < embed_share
        out.append(make.enterprise_unit(industry, ownership, *where(), rng.randint(3, 6), embed))
    return out
