"""Joint meetings and their matters (联席会议, 五事联办, 跟踪落实).

A matter decided at a meeting is OPEN; assigning it to a responsible unit and person with a
deadline puts it IN_PROGRESS (reassigning is allowed until it is done); completing it makes it
DONE. A DONE matter is never reopened or reassigned, and a matter nobody is responsible for
cannot be done.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from service.errors import IllegalState
from service.model import MatterMode, MatterStatus


class MatterAction(StrEnum):
    ASSIGN = "assign"
    COMPLETE = "complete"


ALLOWED: dict[MatterAction, frozenset[MatterStatus]] = {
    MatterAction.ASSIGN: frozenset({MatterStatus.OPEN, MatterStatus.IN_PROGRESS}),
    MatterAction.COMPLETE: frozenset({MatterStatus.OPEN, MatterStatus.IN_PROGRESS}),
}
IMPORTANT = MatterMode.IMPORTANT.value  # 要事共决: the seed's "important matters decided"


def allowed_from(action: MatterAction) -> list[str]:
    return sorted(s.value for s in ALLOWED[action])


def illegal(matter_id: str, action: MatterAction, current: str | None) -> IllegalState:
    need = " or ".join(allowed_from(action))
    return IllegalState(f"matter {matter_id!r} is {current or 'without a status'}; cannot {action.value} it "
                        f"(only an {need} matter can be)")


def unassigned(matter_id: str, current: str | None) -> IllegalState:
    return IllegalState(f"matter {matter_id!r} is {current}; cannot complete it: no unit is responsible for it yet "
                        "(assign it first)")


@dataclass(frozen=True, slots=True)
class MeetingFact:
    id: str
    alliance_id: str | None
    held_on: str | None


@dataclass(frozen=True, slots=True)
class MatterFact:
    id: str
    meeting_id: str
    alliance_id: str | None
    mode: str | None
    status: str | None
    due: str | None
    done_on: str | None


@dataclass(slots=True)
class AllianceMeetings:
    alliance_id: str
    meetings: int = 0
    matters: int = 0
    done: int = 0
    overdue: int = 0
    last_held_on: str | None = None
    by_month: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MeetingSummary:
    meetings: int
    matters: int
    important_matters: int
    matters_done: int
    overdue: int
    completion_rate: float
    per_alliance: list[AllianceMeetings]


def is_overdue(m: MatterFact, as_of: dt.date) -> bool:
    return m.status != MatterStatus.DONE and m.due is not None and m.due < as_of.isoformat()


def summarise(meetings: Iterable[MeetingFact], matters: Iterable[MatterFact], as_of: dt.date) -> MeetingSummary:
    """Totals, overdue (not done and past due on `as_of`), the completion rate (done / decided;
    0 when nothing was decided) and per alliance the meetings by month and the last one held."""
    per: dict[str, AllianceMeetings] = {}
    months: dict[str, dict[str, int]] = defaultdict(dict)
    meeting_rows = list(meetings)
    matter_rows = list(matters)
    for m in meeting_rows:
        if m.alliance_id is None:
            continue
        row = per.setdefault(m.alliance_id, AllianceMeetings(m.alliance_id))
        row.meetings += 1
        if m.held_on:
            row.last_held_on = max(row.last_held_on or m.held_on, m.held_on)
            month = m.held_on[:7]
            months[m.alliance_id][month] = months[m.alliance_id].get(month, 0) + 1
    done = overdue = important = 0
    for t in matter_rows:
        finished = t.status == MatterStatus.DONE
        late = is_overdue(t, as_of)
        done += finished
        overdue += late
        important += t.mode == IMPORTANT
        if t.alliance_id is not None:
            row = per.setdefault(t.alliance_id, AllianceMeetings(t.alliance_id))
            row.matters += 1
            row.done += finished
            row.overdue += late
    for aid, row in per.items():
        row.by_month = dict(sorted(months[aid].items()))
    total = len(matter_rows)
    return MeetingSummary(
        meetings=len(meeting_rows), matters=total, important_matters=important, matters_done=done,
        overdue=overdue, completion_rate=round(done / total, 4) if total else 0.0,
        per_alliance=sorted(per.values(), key=lambda r: (-r.meetings, r.alliance_id)),
    )
