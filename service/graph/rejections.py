"""Why a store refused a workflow call, in the same words from both stores: each adapter finds an
outcome code (in Cypher or in Python) and turns it into the port's error here (claims: service/claims.py)."""

from __future__ import annotations

from typing import Any

from service.errors import AllianceError, Conflict, IllegalState, NotFound, ValidationFailed

Rejections = dict[str, tuple[type[AllianceError], str]]


def _rejected(table: Rejections, outcome: str, **facts: Any) -> AllianceError:
    kind, template = table[outcome]
    return kind(template.format(**facts))


_WISH_REJECTIONS: Rejections = {
    "NO_WISH": (NotFound, "no wish {wish_id!r}"),
    "NO_REGION": (NotFound, "no region {target!r} to publish the wish in"),
    "ID_TAKEN": (Conflict, "id {wish_id!r} is already used by a node that is not a wish"),
    "NO_ORGANISATION": (NotFound, "no organisation {target!r} to dispatch the wish to"),
    "NO_ACTOR": (NotFound, "no member, organisation or enterprise {target!r} to accept the wish"),
    "NO_CONTRIBUTOR": (NotFound, "no member, organisation or enterprise {target!r} to contribute"),
    "NOT_WAREHOUSE": (ValidationFailed, "{target!r} is not a wish-warehouse enterprise (如愿义仓)"),
}


def wish_rejection(outcome: str, wish_id: str, target: Any = None) -> AllianceError:
    """The error for a refused wish call other than an illegal transition, the same from both stores."""
    return _rejected(_WISH_REJECTIONS, outcome, wish_id=wish_id, target=target)


_MATTER_REJECTIONS: Rejections = {
    "NO_MATTER": (NotFound, "no matter {matter_id!r}"),
    "NO_ORGANISATION": (NotFound, "no organisation {target!r} to assign the matter to"),
}


def matter_rejection(outcome: str, matter_id: str, target: Any = None) -> AllianceError:
    return _rejected(_MATTER_REJECTIONS, outcome, matter_id=matter_id, target=target)


_MEETING_REJECTIONS: Rejections = {
    "NO_ALLIANCE": (NotFound, "no alliance {target!r} to hold the meeting"),
    "NO_ATTENDEE": (NotFound, "no organisation {target!r} to attend the meeting"),
    "ID_TAKEN": (Conflict, "id {target!r} is already used by another node"),
    "OTHER_ALLIANCE": (Conflict, "meeting {meeting_id!r} is already recorded for alliance {target!r}"),
    "NO_ASSIGNEE": (NotFound, "no organisation {target!r} to assign a matter to"),
}


def meeting_rejection(outcome: str, meeting_id: str, target: Any = None) -> AllianceError:
    return _rejected(_MEETING_REJECTIONS, outcome, meeting_id=meeting_id, target=target)


_REPORT_REJECTIONS: Rejections = {
    "NO_MEMBER": (NotFound, "no member {member_id!r}"),
    "NO_ORGANISATION": (NotFound, "no organisation {target!r} to report to"),
    "NOT_COMMUNITY": (ValidationFailed, "organisation {target!r} is not a community or village party organisation; "
                                        "members report to the community where they live"),
    "RETIRED": (IllegalState, "member {member_id!r} is not in service; dual reporting is for in-service members"),
    "ELSEWHERE": (IllegalState, "member {member_id!r} has already reported to {target!r}; a member reports to one "
                                "community (where they live)"),
}


def report_rejection(outcome: str, member_id: str, target: Any = None) -> AllianceError:
    return _rejected(_REPORT_REJECTIONS, outcome, member_id=member_id, target=target)
