"""Dual reporting (在职党员双报到): in-service members report to the community where they live;
their unit counts as reported once its members have (单位报到, the seed's 221 units)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

RECEIVING_KINDS = frozenset({"COMMUNITY", "VILLAGE"})


def report_outcome(organisation_id: str, organisation_kind: str | None, in_service: bool | None,
                   reported_to: Iterable[str]) -> str:
    """The rules of one report (双报到), in the order report_to_community.cypher applies them:
    REPEAT (already reported there: nothing to do), ELSEWHERE (a member reports to one community),
    RETIRED (in-service members only; an unknown status counts as in service), NOT_COMMUNITY (the
    receiver is a community or village organisation), else OK. `reported_to`: the organisations the
    member has reported to already."""
    priors = set(reported_to)
    if organisation_id in priors:
        return "REPEAT"
    if priors:
        return "ELSEWHERE"
    if in_service is False:
        return "RETIRED"
    if (organisation_kind or "") not in RECEIVING_KINDS:
        return "NOT_COMMUNITY"
    return "OK"


@dataclass(frozen=True, slots=True)
class ReportFact:
    member_id: str
    unit_id: str | None  # the organisation the member BELONGS_TO
    community_id: str  # the organisation reported to
    on: str | None
    post: str | None


@dataclass(frozen=True, slots=True)
class CommunityReports:
    community_id: str
    members: int
    units: int


@dataclass(frozen=True, slots=True)
class UnitReports:
    unit_id: str
    members: int
    communities: int


@dataclass(frozen=True, slots=True)
class ReportingSummary:
    units: int
    members: int
    by_community: list[CommunityReports]
    by_unit: list[UnitReports]


def summarise(facts: Iterable[ReportFact]) -> ReportingSummary:
    members: dict[str, set[str]] = {}
    units: dict[str, set[str]] = {}
    unit_members: dict[str, set[str]] = {}
    unit_communities: dict[str, set[str]] = {}
    reporters: set[str] = set()
    for f in facts:
        reporters.add(f.member_id)
        members.setdefault(f.community_id, set()).add(f.member_id)
        units.setdefault(f.community_id, set())
        if f.unit_id is not None:
            units[f.community_id].add(f.unit_id)
            unit_members.setdefault(f.unit_id, set()).add(f.member_id)
            unit_communities.setdefault(f.unit_id, set()).add(f.community_id)
    by_community = [CommunityReports(c, len(m), len(units[c])) for c, m in members.items()]
    by_unit = [UnitReports(u, len(m), len(unit_communities[u])) for u, m in unit_members.items()]
    return ReportingSummary(
        units=len(unit_members), members=len(reporters),
        by_community=sorted(by_community, key=lambda r: (-r.members, r.community_id)),
        by_unit=sorted(by_unit, key=lambda r: (-r.members, r.unit_id)),
    )
