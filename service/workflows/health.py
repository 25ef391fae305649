"""Organisation health: the branch regulations (支部工作条例: a branch has 3 to 50 full members),
alliances that held no meeting in the last quarter, agreements past their end still ACTIVE.
Violations are reported, never refused: historical data may break them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

BRANCH_MIN, BRANCH_MAX = 3, 50
QUARTER_DAYS = 92  # a quarter's longest span: a meeting within this many days counts as "this quarter"


@dataclass(frozen=True, slots=True)
class BranchFact:
    id: str
    full_members: int


@dataclass(frozen=True, slots=True)
class AllianceFact:
    id: str
    last_held_on: str | None


@dataclass(frozen=True, slots=True)
class AgreementFact:
    id: str
    valid_to: str | None


@dataclass(frozen=True, slots=True)
class Health:
    too_small: list[BranchFact]
    too_large: list[BranchFact]
    quiet_alliances: list[AllianceFact]
    overdue_agreements: list[AgreementFact]


def quarter_start(as_of: dt.date) -> str:
    return (as_of - dt.timedelta(days=QUARTER_DAYS)).isoformat()


def assess(branches: Iterable[BranchFact], alliances: Iterable[AllianceFact],
           agreements: Iterable[AgreementFact], as_of: dt.date) -> Health:
    rows = sorted(branches, key=lambda b: b.id)
    since = quarter_start(as_of)
    today = as_of.isoformat()
    return Health(
        too_small=[b for b in rows if b.full_members < BRANCH_MIN],
        too_large=[b for b in rows if b.full_members > BRANCH_MAX],
        quiet_alliances=sorted((a for a in alliances if a.last_held_on is None or a.last_held_on < since),
                               key=lambda a: (a.last_held_on or "", a.id)),
        overdue_agreements=sorted((a for a in agreements if a.valid_to is not None and a.valid_to < today),
                                  key=lambda a: (a.valid_to or "", a.id)),
    )
