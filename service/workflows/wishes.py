"""The micro-wish lifecycle (微心愿, 如愿行动) and its funnel.

PUBLISHED (点单) → DISPATCHED (派单) → ACCEPTED (接单) → FULFILLED → RATED (评单); CANCELLED from any
state before FULFILLED. The table below is the single source of the legal moves: both stores pass
its `allowed` set into their atomic check, so Cypher and Python cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from service import rules
from service.errors import IllegalState, ValidationFailed
from service.model import WishStatus


class WishAction(StrEnum):
    DISPATCH = "dispatch"
    ACCEPT = "accept"
    FULFIL = "fulfil"
    RATE = "rate"
    CANCEL = "cancel"


@dataclass(frozen=True, slots=True)
class Transition:
    allowed: frozenset[WishStatus]
    to: WishStatus


TRANSITIONS: dict[WishAction, Transition] = {
    WishAction.DISPATCH: Transition(frozenset({WishStatus.PUBLISHED}), WishStatus.DISPATCHED),
    WishAction.ACCEPT: Transition(frozenset({WishStatus.DISPATCHED}), WishStatus.ACCEPTED),
    WishAction.FULFIL: Transition(frozenset({WishStatus.ACCEPTED}), WishStatus.FULFILLED),
    WishAction.RATE: Transition(frozenset({WishStatus.FULFILLED}), WishStatus.RATED),
    WishAction.CANCEL: Transition(
        frozenset({WishStatus.PUBLISHED, WishStatus.DISPATCHED, WishStatus.ACCEPTED}), WishStatus.CANCELLED
    ),
}

# How far along the funnel each status is; CANCELLED is placed by the evidence it left.
_RANK = {WishStatus.PUBLISHED: 0, WishStatus.DISPATCHED: 1, WishStatus.ACCEPTED: 2,
         WishStatus.FULFILLED: 3, WishStatus.RATED: 4}


def allowed_from(action: WishAction) -> list[str]:
    """The statuses the action may start from, as the stores' statements take them."""
    return sorted(s.value for s in TRANSITIONS[action].allowed)


def illegal(wish_id: str, action: WishAction, current: str | None) -> IllegalState:
    need = " or ".join(allowed_from(action))
    return IllegalState(f"wish {wish_id!r} is {current or 'without a status'}; cannot {action.value} it "
                        f"(only a {need} wish can be)")


def check_rating(rating: int) -> None:
    rules.rating(rating)


def check_date(value: str, field: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise ValidationFailed(f"{field} {value!r} is not an ISO date (YYYY-MM-DD)") from None


@dataclass(frozen=True, slots=True)
class WishFact:
    """What a store knows about one wish, enough to place it in the funnel."""

    id: str
    status: str
    published_on: str | None
    fulfilled_on: str | None
    dispatched: bool  # has been dispatched at some point (a cancelled wish keeps its DISPATCHED_TO)
    accepted: bool  # somebody accepted it at some point
    warehouse: bool  # a wish-warehouse enterprise contributed


@dataclass(frozen=True, slots=True)
class Funnel:
    published: int
    dispatched: int
    accepted: int
    fulfilled: int
    rated: int
    cancelled: int
    contributors: int
    warehouse_fulfilled: int
    median_days_to_fulfil: float | None


def _rank(fact: WishFact) -> int:
    if fact.status == WishStatus.CANCELLED:
        return 2 if fact.accepted else 1 if fact.dispatched else 0
    return _RANK.get(WishStatus(fact.status), 0) if fact.status in _RANK else 0


def funnel(facts: Iterable[WishFact], contributors: int) -> Funnel:
    """Counts of wishes that reached each stage (a rated wish was also dispatched, accepted and
    fulfilled), cancellations, distinct contributors and the median days from 点单 to fulfilment."""
    rows = list(facts)
    ranks = [_rank(f) for f in rows]
    days = []
    for f in rows:
        if f.published_on and f.fulfilled_on and _rank(f) >= 3:
            try:
                days.append((dt.date.fromisoformat(f.fulfilled_on) - dt.date.fromisoformat(f.published_on)).days)
            except ValueError:
                continue  # a malformed historical date is left out rather than guessed
    return Funnel(
        published=len(rows),
        dispatched=sum(r >= 1 for r in ranks),
        accepted=sum(r >= 2 for r in ranks),
        fulfilled=sum(r >= 3 for r in ranks),
        rated=sum(r >= 4 for r in ranks),
        cancelled=sum(f.status == WishStatus.CANCELLED for f in rows),
        contributors=contributors,
        warehouse_fulfilled=sum(f.warehouse and r >= 3 for f, r in zip(rows, ranks, strict=True)),
        median_days_to_fulfil=float(statistics.median(days)) if days else None,
    )
