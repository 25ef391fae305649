"""What the workflow calls of the port carry: the seeds' working systems (micro-wishes, joint
meetings and matters, dual reporting, grids, organisation health) as changes and facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from service.graph.types import Node
from service.workflows.health import AgreementFact, AllianceFact, BranchFact
from service.workflows.matters import MatterFact, MeetingFact
from service.workflows.wishes import WishFact


@dataclass(frozen=True, slots=True)
class WishChange:
    wish: Node
    before: str | None  # the status before this call (None for a new wish)
    changed: bool  # False for an idempotent repeat of publish


@dataclass(frozen=True, slots=True)
class WishFacts:
    wishes: list[WishFact]
    contributors: int  # distinct members, units and enterprises that CONTRIBUTED to those wishes


@dataclass(frozen=True, slots=True)
class MatterInput:
    id: str
    title: str
    mode: str
    organisation_id: str | None = None  # assigned at the meeting: IN_PROGRESS at once
    person: str | None = None
    due: str | None = None


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    id: str
    alliance_id: str
    held_on: str
    topic: str | None = None
    kind: str | None = None
    attendee_ids: tuple[str, ...] = ()
    chair_id: str | None = None  # the rotating chair (轮值理事单位) who convened it; also an attendee
    matters: tuple[MatterInput, ...] = ()


@dataclass(frozen=True, slots=True)
class MeetingChange:
    meeting: Node
    matters: list[Node]
    created: bool  # False when the meeting id was already recorded (nothing is written again)


@dataclass(frozen=True, slots=True)
class MatterChange:
    matter: Node
    before: str | None


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    meetings: list[MeetingFact]
    matters: list[MatterFact]


@dataclass(frozen=True, slots=True)
class ReportChange:
    member_id: str
    organisation_id: str
    on: str | None
    post: str | None
    created: bool  # False when the member had already reported there


@dataclass(frozen=True, slots=True)
class HealthFacts:
    branches: list[BranchFact] = field(default_factory=list)
    alliances: list[AllianceFact] = field(default_factory=list)
    agreements: list[AgreementFact] = field(default_factory=list)
