"""Joint meetings of an alliance and the matters they decide (五事联办) on the embedded store; each
write is one IMMEDIATE transaction that checks the current state first."""

from __future__ import annotations

from service.graph.embedded.executor import EmbeddedExecutor, drop_edge, put_edge, put_node, set_props
from service.graph.embedded.memory_graph import MemoryGraph
from service.graph.embedded.scope import in_period, scoped, within
from service.graph.records import check_meeting, matter_props, meeting_props
from service.graph.rejections import matter_rejection, meeting_rejection
from service.graph.types import Node
from service.graph.workflow_types import MatterChange, MeetingChange, MeetingFacts, MeetingRecord
from service.model import Label, MatterStatus, RelType
from service.workflows import matters as matter_rules
from service.workflows.matters import MatterAction, MatterFact, MeetingFact


def record_meeting(ex: EmbeddedExecutor, record: MeetingRecord) -> MeetingChange:
    check_meeting(record)
    attendees = list(dict.fromkeys([*([record.chair_id] if record.chair_id else []), *record.attendee_ids]))
    with ex.writing() as (db, mem):
        existing = mem.nodes.get(record.id)
        if existing is not None:
            if existing.label is not Label.MEETING:
                raise meeting_rejection("ID_TAKEN", record.id, record.id)
            prior = next(iter(mem.out(record.id, RelType.OF)), None)
            if prior is not None and prior != record.alliance_id:
                raise meeting_rejection("OTHER_ALLIANCE", record.id, prior)
            return MeetingChange(existing, _matters_of(mem, record.id), False)
        if not mem.has_label(record.alliance_id, Label.ALLIANCE):
            raise meeting_rejection("NO_ALLIANCE", record.id, record.alliance_id)
        for oid in attendees:
            if not mem.has_label(oid, Label.ORGANISATION):
                raise meeting_rejection("NO_ATTENDEE", record.id, oid)
        for m in record.matters:
            if m.organisation_id is not None and not mem.has_label(m.organisation_id, Label.ORGANISATION):
                raise meeting_rejection("NO_ASSIGNEE", record.id, m.organisation_id)
        for m in record.matters:
            if m.id in mem.nodes:
                raise meeting_rejection("ID_TAKEN", record.id, m.id)
        meeting = Node(record.id, Label.MEETING, meeting_props(record))
        put_node(db, mem, meeting)
        put_edge(db, mem, RelType.OF, record.id, record.alliance_id, {})
        for oid in attendees:
            put_edge(db, mem, RelType.ATTENDED, oid, record.id,
                      {"role": "CHAIR" if oid == record.chair_id else None})
        for m in record.matters:
            put_node(db, mem, Node(m.id, Label.MATTER, matter_props(m, record.held_on)))
            put_edge(db, mem, RelType.DECIDED_AT, m.id, record.id, {})
            if m.organisation_id is not None:
                put_edge(db, mem, RelType.ASSIGNED_TO, m.id, m.organisation_id,
                          {"person": m.person, "on": record.held_on})
        return MeetingChange(meeting, _matters_of(mem, record.id), True)


def _matter_for(mem: MemoryGraph, matter_id: str, action: MatterAction) -> Node:
    matter = mem.nodes.get(matter_id)
    if matter is None or matter.label is not Label.MATTER:
        raise matter_rejection("NO_MATTER", matter_id)
    if matter.props.get("status") not in matter_rules.allowed_from(action):
        raise matter_rules.illegal(matter_id, action, matter.props.get("status"))
    return matter


def assign_matter(
    ex: EmbeddedExecutor, matter_id: str, organisation_id: str, person: str | None, due: str | None, on: str
) -> MatterChange:
    with ex.writing() as (db, mem):
        matter = _matter_for(mem, matter_id, MatterAction.ASSIGN)
        if not mem.has_label(organisation_id, Label.ORGANISATION):
            raise matter_rejection("NO_ORGANISATION", matter_id, organisation_id)
        for old in [o for o in mem.out(matter_id, RelType.ASSIGNED_TO) if mem.has_label(o, Label.ORGANISATION)]:
            drop_edge(db, mem, RelType.ASSIGNED_TO, matter_id, old)
        put_edge(db, mem, RelType.ASSIGNED_TO, matter_id, organisation_id, {"person": person, "on": on})
        node = Node(matter_id, Label.MATTER, set_props(matter.props, status=MatterStatus.IN_PROGRESS.value,
                                                  due=due or matter.props.get("due"), assignedOn=on))
        put_node(db, mem, node)
        return MatterChange(node, matter.props.get("status"))


def complete_matter(ex: EmbeddedExecutor, matter_id: str, on: str) -> MatterChange:
    with ex.writing() as (db, mem):
        matter = _matter_for(mem, matter_id, MatterAction.COMPLETE)
        if not any(mem.has_label(o, Label.ORGANISATION) for o in mem.out(matter_id, RelType.ASSIGNED_TO)):
            raise matter_rules.unassigned(matter_id, matter.props.get("status"))
        node = Node(matter_id, Label.MATTER, set_props(matter.props, status=MatterStatus.DONE.value, doneOn=on))
        put_node(db, mem, node)
        return MatterChange(node, matter.props.get("status"))


def meeting_facts(ex: EmbeddedExecutor, region_id: str | None, since: str | None, until: str | None) -> MeetingFacts:
    meetings: list[MeetingFact] = []
    matters: list[MatterFact] = []
    with ex.reading() as mem:
        regions = scoped(mem, region_id)
        alliances = {a for a in mem.by_label[Label.ALLIANCE] if within(mem, mem.nodes[a], regions)}
        for mid in sorted(mem.by_label[Label.MEETING]):
            held = mem.nodes[mid].props.get("heldOn")
            if not in_period(held, since, until):
                continue
            for aid in mem.out(mid, RelType.OF):
                if aid not in alliances:
                    continue
                meetings.append(MeetingFact(mid, aid, held))
                for x in _matters_of(mem, mid):
                    p = x.props
                    matters.append(MatterFact(x.id, mid, aid, p.get("mode"), p.get("status"), p.get("due"),
                                              p.get("doneOn")))
    return MeetingFacts(meetings, matters)


def _matters_of(mem: MemoryGraph, meeting_id: str) -> list[Node]:
    return [mem.nodes[x] for x in sorted(mem.into(meeting_id, RelType.DECIDED_AT)) if mem.has_label(x, Label.MATTER)]
