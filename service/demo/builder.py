"""The vocabulary profile builders use: create regions, units, people, agreements, lists ...

A Builder writes one replica of one profile into a shared GraphBuffer. Ids carry the replica's
root region code, so replicas, and different profiles loaded into one store, never collide.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from service.codes import CREDIT_CHARSET, make_credit_code, make_id_number, organisation_code_check
from service.demo import names
from service.demo.dataset import GraphBuffer, Row
from service.demo.profiles import Profile
from service.model import (
    AgreementStatus,
    ItemStatus,
    Label,
    OrgLevel,
    RegionLevel,
    RelType,
)

Unit = tuple[Label, str]  # an Organisation or Enterprise: the label tells PARTY_TO which triple

_CREDIT_SPACE = 31**6  # six free characters after "MA" in the organisation code


@dataclass(slots=True)
class Area:
    """A Region node as builders need it: where it is, for names and addresses."""

    id: str
    name: str
    level: RegionLevel
    district: str  # the district's code, for credit codes and ID numbers
    place: str  # address prefix, e.g. "花都区新华街道"
    children: list[Area] = field(default_factory=list)


def iso(day: dt.date) -> str:
    return day.isoformat()


def spread(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split `total` into len(weights) integers proportional to weights (largest remainder),
    each at least `minimum`; the split sums to `total` exactly."""
    n = len(weights)
    if total < minimum * n:
        raise ValueError(f"cannot spread {total} over {n} with at least {minimum} each")
    rest = total - minimum * n
    scale = sum(weights)
    shares = [w / scale * rest for w in weights]
    out = [int(s) for s in shares]
    order = sorted(range(n), key=lambda i: out[i] - shares[i])
    for i in order[: rest - sum(out)]:
        out[i] += 1
    return [minimum + o for o in out]


def level_for(members: int) -> OrgLevel:
    """The org level the branch rules (支部工作条例) expect for a size."""
    if members > 100:
        return OrgLevel.COMMITTEE
    if members > 50:
        return OrgLevel.GENERAL_BRANCH
    return OrgLevel.BRANCH


class Builder:
    def __init__(self, profile: Profile, replica: int, seed: int, buffer: GraphBuffer, root: str) -> None:
        self.profile = profile
        self.replica = replica
        self.root = root
        self.buf = buffer
        # str seeds hash with SHA-512 inside random, so streams do not depend on PYTHONHASHSEED
        self.rng = random.Random(f"{profile.key}/{seed}/{replica}")
        self.as_of = profile.as_of
        self._seq: dict[str, int] = {}
        self.name_of: dict[str, str] = {}  # organisations and enterprises, for titles
        self._credit_step = self.rng.randrange(1, _CREDIT_SPACE // 31) * 31 + 7
        self._credit_next = self.rng.randrange(_CREDIT_SPACE)

    # --- ids and dates ----------------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        n = self._seq.get(prefix, 0) + 1
        self._seq[prefix] = n
        return f"{prefix}-{self.root}-{n:06d}"

    def day(self, start: dt.date, end: dt.date | None = None) -> dt.date:
        """A day from start to end (default: the profile's as-of date), both included."""
        first = start.toordinal()
        span = (end or self.as_of).toordinal() - first + 1
        return dt.date.fromordinal(first + int(self.rng.random() * span))

    def years_before(self, years: float) -> dt.date:
        return self.as_of - dt.timedelta(days=int(365.25 * years))

    # --- regions ----------------------------------------------------------------------------
    def region(
        self,
        code: str,
        name: str,
        level: RegionLevel,
        parent: Area | None,
        district: str,
        place: str,
        shared: bool = False,
        **extra: Any,
    ) -> Area:
        """A Region PART_OF `parent`; a `shared` one (province, real city) is written once."""
        row = {"id": code, "name": name, "level": level.value, **extra}
        area = Area(code, name, level, district, place)
        if shared:
            if not self.buf.add_shared(Label.REGION, row):
                return area
        else:
            self.buf.add(Label.REGION, row)
        if parent is not None:
            parent.children.append(area)
            self.buf.link(RelType.PART_OF, Label.REGION, code, Label.REGION, parent.id)
        return area

    # --- units ------------------------------------------------------------------------------
    def org(
        self,
        name: str,
        kind: str,
        level: OrgLevel,
        located: Area | Sequence[Area],
        under: str | None = None,
        **extra: Any,
    ) -> str:
        oid = self.buf.add(
            Label.ORGANISATION,
            {"id": self.new_id("ORG"), "name": name, "kind": str(kind), "level": str(level), **extra},
        )
        self.name_of[oid] = name
        for area in [located] if isinstance(located, Area) else located:
            self.buf.link(RelType.LOCATED_IN, Label.ORGANISATION, oid, Label.REGION, area.id)
        if under is not None:
            self.buf.link(RelType.UNDER, Label.ORGANISATION, oid, Label.ORGANISATION, under)
        return oid

    def credit_code(self, district: str) -> str:
        # an affine walk over the 31^6 space visits every value once, so codes never repeat
        n = self._credit_next
        self._credit_next = (n + self._credit_step) % _CREDIT_SPACE
        chars = []
        for _ in range(6):
            n, r = divmod(n, 31)
            chars.append(CREDIT_CHARSET[r])
        body = "MA" + "".join(chars)
        return make_credit_code("9", "1", district, body + organisation_code_check(body))

    def enterprise(self, industry: str, ownership: str, area: Area, name: str | None = None, **extra: Any) -> str:
        name = name or names.company_name(self.rng, self.profile.place, industry)
        row = {
            "id": self.credit_code(area.district),
            "name": name,
            "industry": industry,
            "ownership": ownership,
            **extra,
        }
        eid = self.buf.add(Label.ENTERPRISE, row)
        self.name_of[eid] = name
        self.buf.link(RelType.LOCATED_IN, Label.ENTERPRISE, eid, Label.REGION, area.id)
        return eid

    def embedded_org(
        self,
        enterprise_id: str,
        enterprise_name: str,
        kind: str,
        level: OrgLevel,
        area: Area,
        under: str | None = None,
    ) -> str:
        oid = self.org(enterprise_name + names.org_suffix(level.value), kind, level, area, under)
        self.buf.link(RelType.EMBEDDED_IN, Label.ORGANISATION, oid, Label.ENTERPRISE, enterprise_id)
        return oid

    # --- people -----------------------------------------------------------------------------
    def person(self) -> str:
        """A name for someone who is not a Member node (signatories, responsible persons)."""
        return names.person_name(self.rng, self.rng.random() < 0.35, self.profile.minority_share)

    def member(self, org_id: str | None, area: Area, joined_after: int = 1978) -> str:
        rng, r = self.rng, self.rng.random
        female = r() < 0.3
        joined = self.day(dt.date(joined_after, 1, 1))
        birth_year = joined.year - 18 - int(r() * 25)
        birth = f"{birth_year}{1 + int(r() * 12):02d}{1 + int(r() * 28):02d}"
        seq = int(r() * 500) * 2 + (0 if female else 1)  # odd 17th digit: male
        places = self.profile.birthplaces
        born_in = area.district if r() < 0.55 else places[int(r() * len(places))]
        row: Row = {
            "id": self.new_id("M"),
            "name": names.person_name(rng, female, self.profile.minority_share),
            "joinedOn": iso(joined),
            "inService": self.as_of.year - birth_year < 60,
            "phone": names.mobile(rng),
            "idNumber": make_id_number(born_in, birth, f"{seq:03d}"),
            "address": names.address(rng, area.place),
        }
        mid = self.buf.add(Label.MEMBER, row)
        if org_id is not None:
            self.buf.link(RelType.BELONGS_TO, Label.MEMBER, mid, Label.ORGANISATION, org_id)
        return mid

    def members(self, org_id: str | None, area: Area, count: int) -> list[str]:
        return [self.member(org_id, area) for _ in range(count)]

    # --- alliances, agreements, lists -------------------------------------------------------
    def alliance(
        self,
        name: str,
        kind: str,
        lead: str,
        covers: Sequence[Area],
        model: str | None = None,
        since: dt.date | None = None,
    ) -> str:
        row: Row = {"id": self.new_id("ALL"), "name": name, "kind": str(kind)}
        if model:
            row["model"] = model
        aid = self.buf.add(Label.ALLIANCE, row)
        self.buf.link(RelType.LED_BY, Label.ALLIANCE, aid, Label.ORGANISATION, lead)
        for area in covers:
            self.buf.link(RelType.COVERS, Label.ALLIANCE, aid, Label.REGION, area.id)
        self.join(lead, aid, "LEAD", since or self.years_before(3))
        return aid

    def join(self, org_id: str, alliance_id: str, role: str, since: dt.date) -> None:
        self.buf.link(
            RelType.MEMBER_OF,
            Label.ORGANISATION,
            org_id,
            Label.ALLIANCE,
            alliance_id,
            role=role,
            since=iso(since),
        )

    def serve_on(self, member_id: str, alliance_id: str, role: str = "兼职委员") -> None:
        self.buf.link(RelType.SERVES_ON, Label.MEMBER, member_id, Label.ALLIANCE, alliance_id, role=role)

    def agreement(self, title: str, kind: str, host: Unit, guest: Unit, signed: dt.date, years: int = 3) -> str:
        # 29 February + n years lands on 1 March, so the term still ends on the last day of February
        day_after = dt.date(signed.year + years, signed.month, 1) + dt.timedelta(days=signed.day - 1)
        valid_to = day_after - dt.timedelta(days=1)
        if valid_to < self.as_of:
            status = AgreementStatus.EXPIRED
        elif self.rng.random() < 0.02:
            status = AgreementStatus.TERMINATED
        else:
            status = AgreementStatus.ACTIVE
        aid = self.buf.add(
            Label.AGREEMENT,
            {
                "id": self.new_id("AGR"),
                "title": title,
                "kind": str(kind),
                "signedOn": iso(signed),
                "validFrom": iso(signed),
                "validTo": iso(valid_to),
                "status": status.value,
            },
        )
        for (label, uid), role in ((host, "甲方"), (guest, "乙方")):
            self.buf.link(
                RelType.PARTY_TO,
                label,
                uid,
                Label.AGREEMENT,
                aid,
                role=role,
                signatory=self.person(),
            )
        return aid

    def item(
        self,
        publisher: Unit,
        template: names.Template,
        published: dt.date,
        quantity: int | None = None,
        agreement: str | None = None,
        status: ItemStatus = ItemStatus.OPEN,
    ) -> Row:
        kind, category, unit, titles = template
        if quantity is None:
            quantity = self.rng.choice((1, 1, 2, 3, 5, 10, 20)) if unit != "万元" else 5
        row: Row = {
            "id": self.new_id("ITEM"),
            "title": self.rng.choice(titles),
            "list": kind,
            "category": category,
            "quantity": quantity,
            "unit": unit,
            "status": status.value,
            "publishedOn": iso(published),
        }
        iid = self.buf.add(Label.LIST_ITEM, row)
        self.buf.link(RelType.PUBLISHED, publisher[0], publisher[1], Label.LIST_ITEM, iid)
        if agreement is not None:
            self.buf.link(RelType.INCLUDES, Label.AGREEMENT, agreement, Label.LIST_ITEM, iid)
        return row

    def claims(self, item: Row, claimants: Sequence[Unit]) -> None:
        """One to three claims by distinct units; together they never exceed the quantity."""
        item_id, remaining = item["id"], int(item["quantity"])
        published = dt.date.fromisoformat(item["publishedOn"])
        for _, uid in self.rng.sample(list(claimants), min(len(claimants), 3)):
            if remaining <= 0:
                break
            take = self.rng.randint(1, remaining)
            remaining -= take
            on = self.day(published)
            self.buf.claims.append(
                {
                    "id": self.new_id("CLM"),
                    "item_id": item_id,
                    "claimant_id": uid,
                    "quantity": take,
                    "on": iso(on),
                }
            )
            if self.rng.random() < 0.5:
                break

    # --- meetings, matters, teams, centres ----------------------------------------------------
    def meeting(self, alliance_id: str, held: dt.date, topic: str, kind: str, attendees: Sequence[str]) -> str:
        mid = self.buf.add(
            Label.MEETING,
            {"id": self.new_id("MTG"), "topic": topic, "heldOn": iso(held), "kind": kind},
        )
        self.buf.link(RelType.OF, Label.MEETING, mid, Label.ALLIANCE, alliance_id)
        for org_id in attendees:
            self.buf.link(RelType.ATTENDED, Label.ORGANISATION, org_id, Label.MEETING, mid)
        return mid

    def matter(self, meeting_id: str, held: dt.date, title: str, mode: str, status: str, assignee: str) -> str:
        due = held + dt.timedelta(days=self.rng.choice((15, 30, 45, 60, 90)))
        row: Row = {
            "id": self.new_id("MAT"),
            "title": title,
            "mode": str(mode),
            "status": str(status),
            "due": iso(due),
        }
        if status == "DONE":
            latest = min(due + dt.timedelta(days=20), self.as_of)
            row["doneOn"] = iso(self.day(min(held + dt.timedelta(days=3), latest), latest))
        mid = self.buf.add(Label.MATTER, row)
        self.buf.link(RelType.DECIDED_AT, Label.MATTER, mid, Label.MEETING, meeting_id)
        self.buf.link(
            RelType.ASSIGNED_TO,
            Label.MATTER,
            mid,
            Label.ORGANISATION,
            assignee,
            person=self.person(),
        )
        return mid

    def team(self, name: str, kind: str, organiser: str) -> str:
        tid = self.buf.add(Label.TEAM, {"id": self.new_id("TEAM"), "name": name, "kind": str(kind)})
        self.buf.link(RelType.ORGANISED_BY, Label.TEAM, tid, Label.ORGANISATION, organiser)
        return tid

    def serve_in(self, member_id: str, team_id: str) -> None:
        self.buf.link(RelType.SERVES_IN, Label.MEMBER, member_id, Label.TEAM, team_id)

    def centre(self, name: str, area: Area, run_by: str, area_m2: int) -> str:
        cid = self.buf.add(Label.SERVICE_CENTRE, {"id": self.new_id("SC"), "name": name, "areaM2": area_m2})
        self.buf.link(RelType.IN, Label.SERVICE_CENTRE, cid, Label.REGION, area.id)
        self.buf.link(RelType.RUN_BY, Label.SERVICE_CENTRE, cid, Label.ORGANISATION, run_by)
        return cid
