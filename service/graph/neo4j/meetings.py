"""Joint meetings of an alliance and the matters they decide (五事联办): a meeting and its matters
are recorded in one statement; a matter is assigned and completed with a state check under its lock."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, LiteralString

from service.graph.neo4j import census
from service.graph.neo4j.executor import Neo4jExecutor
from service.graph.neo4j.results import to_node
from service.graph.neo4j.statements import statement
from service.graph.records import check_meeting, matter_props, meeting_props
from service.graph.rejections import matter_rejection, meeting_rejection
from service.graph.workflow_types import MatterChange, MeetingChange, MeetingFacts, MeetingRecord
from service.model import Label, MatterStatus
from service.workflows import matters as matter_rules
from service.workflows.matters import MatterAction, MatterFact, MeetingFact


async def record_meeting(ex: Neo4jExecutor, record: MeetingRecord) -> MeetingChange:
    check_meeting(record)
    meeting = meeting_props(record)
    attendees = list(dict.fromkeys([*([record.chair_id] if record.chair_id else []), *record.attendee_ids]))
    matters = [{"props": matter_props(m, record.held_on),
                "organisationId": m.organisation_id, "person": m.person, "on": record.held_on}
               for m in record.matters]
    [r] = await census.kept(ex, statement("meeting_record"), {
        "meeting": meeting, "allianceId": record.alliance_id, "attendeeIds": attendees,
        "chairId": record.chair_id, "matters": matters,
    }, [Label.MEETING, Label.MATTER], [record.id, *(m.id for m in record.matters)])
    if r["outcome"] not in ("OK", "REPEAT"):
        raise meeting_rejection(r["outcome"], record.id, r["target"])
    return MeetingChange(to_node(r["m"]), [to_node(x) for x in r["matters"]], r["outcome"] == "OK")


async def _move(ex: Neo4jExecutor, name: LiteralString, action: MatterAction, matter_id: str,
                params: Mapping[str, Any], target: Any = None) -> MatterChange:
    to = MatterStatus.IN_PROGRESS if action is MatterAction.ASSIGN else MatterStatus.DONE
    [r] = await census.kept(ex, statement(name), {"matterId": matter_id, "allowed": matter_rules.allowed_from(action),
                                                  "to": to.value, **params}, [Label.MATTER], [matter_id])
    outcome = r["outcome"]
    if outcome == "ILLEGAL":
        raise matter_rules.illegal(matter_id, action, r["before"])
    if outcome == "UNASSIGNED":
        raise matter_rules.unassigned(matter_id, r["before"])
    if outcome != "OK":
        raise matter_rejection(outcome, matter_id, target)
    return MatterChange(to_node(r["x"]), r["before"])


async def assign_matter(
    ex: Neo4jExecutor, matter_id: str, organisation_id: str, person: str | None, due: str | None, on: str
) -> MatterChange:
    return await _move(ex, "matter_assign", MatterAction.ASSIGN, matter_id, {
        "organisationId": organisation_id, "person": person, "due": due, "on": on}, organisation_id)


async def complete_matter(ex: Neo4jExecutor, matter_id: str, on: str) -> MatterChange:
    return await _move(ex, "matter_complete", MatterAction.COMPLETE, matter_id, {"on": on})


async def meeting_facts(
    ex: Neo4jExecutor, region_id: str | None, since: str | None, until: str | None
) -> MeetingFacts:
    rows = await ex.run(statement("meeting_facts"), {"regionId": region_id, "since": since, "until": until})
    meetings = [MeetingFact(r["id"], r["allianceId"], r["heldOn"]) for r in rows]
    matters = [MatterFact(x["id"], r["id"], r["allianceId"], x["mode"], x["status"], x["due"], x["doneOn"])
               for r in rows for x in r["matters"]]
    return MeetingFacts(meetings, matters)
