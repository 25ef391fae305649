"""The workflow port on the embedded store. Each transition runs inside one IMMEDIATE SQLite
transaction (`_writing`), which also serialises writers across processes, so the state read is
the state written over: of two acceptors racing for one wish exactly one wins, as in Neo4j.
Mixed into EmbeddedStore, whose `_reading` / `_writing` it uses."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from service.graph.memory_graph import MemoryGraph
from service.graph.store import Node
from service.graph.workflow_port import (
    HealthFacts,
    MatterChange,
    MeetingChange,
    MeetingFacts,
    MeetingRecord,
    ReportChange,
    Supply,
    WishChange,
    WishFacts,
    check_meeting,
    matter_props,
    matter_rejection,
    meeting_props,
    meeting_rejection,
    report_rejection,
    wish_rejection,
)
from service.model import Label, MatterStatus, RegionLevel, RelType
from service.workflows import matters as matter_rules
from service.workflows import wishes as wish_rules
from service.workflows.grids import GridFact
from service.workflows.health import AgreementFact, AllianceFact, BranchFact
from service.workflows.matters import MatterAction, MatterFact, MeetingFact
from service.workflows.reporting import ReportFact, report_outcome
from service.workflows.wishes import TRANSITIONS, WishAction, WishFact

_ACTORS = (Label.MEMBER, Label.ORGANISATION, Label.ENTERPRISE)


def _dump(props: Mapping[str, Any]) -> str:
    return json.dumps(props, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _set(props: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
    """`SET n.k = v` for each change: a None value removes the property, as in Cypher."""
    out = dict(props)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def _put_node(db: sqlite3.Connection, mem: MemoryGraph, node: Node) -> None:
    db.execute("INSERT INTO nodes (id, label, props) VALUES (?, ?, ?) "
               "ON CONFLICT(id) DO UPDATE SET props = excluded.props", (node.id, node.label.value, _dump(node.props)))
    mem.put_node(node)


def _put_edge(db: sqlite3.Connection, mem: MemoryGraph, type: RelType, start: str, end: str,
              props: Mapping[str, Any]) -> None:
    kept = {k: v for k, v in props.items() if v is not None}
    db.execute('INSERT INTO rels (type, start, "end", key, props) VALUES (?, ?, ?, \'\', ?) '
               'ON CONFLICT(type, start, "end", key) DO UPDATE SET props = excluded.props',
               (type.value, start, end, _dump(kept)))
    mem.put_edge(type, start, end, kept)


def _drop_edge(db: sqlite3.Connection, mem: MemoryGraph, type: RelType, start: str, end: str) -> None:
    db.execute('DELETE FROM rels WHERE type = ? AND start = ? AND "end" = ? AND key = \'\'', (type.value, start, end))
    mem.drop_edge(type, start, end)


def _actor(mem: MemoryGraph, node_id: str | None) -> Node | None:
    node = mem.nodes.get(node_id) if node_id is not None else None
    return node if node is not None and node.label in _ACTORS else None


def _scoped(mem: MemoryGraph, region_id: str | None) -> set[str] | None:
    """None: the whole graph; otherwise the regions of the subtree (empty for an unknown region)."""
    return None if region_id is None else mem.subtree(region_id)


def _within(mem: MemoryGraph, node: Node, regions: set[str] | None) -> bool:
    return regions is None or mem.in_scope(node, regions)


class EmbeddedWorkflows:
    if TYPE_CHECKING:
        def _reading(self) -> AbstractContextManager[MemoryGraph]: ...

        def _writing(self) -> AbstractContextManager[tuple[sqlite3.Connection, MemoryGraph]]: ...

    # micro-wishes -------------------------------------------------------------------------------
    def _wish_for(self, mem: MemoryGraph, wish_id: str, action: WishAction) -> Node:
        wish = mem.nodes.get(wish_id)
        if wish is None or wish.label is not Label.WISH:
            raise wish_rejection("NO_WISH", wish_id)
        if wish.props.get("status") not in wish_rules.allowed_from(action):
            raise wish_rules.illegal(wish_id, action, wish.props.get("status"))
        return wish

    def _moved(self, db: sqlite3.Connection, mem: MemoryGraph, wish: Node, action: WishAction,
               **changes: Any) -> WishChange:
        node = Node(wish.id, Label.WISH, _set(wish.props, status=TRANSITIONS[action].to.value, **changes))
        _put_node(db, mem, node)
        return WishChange(node, wish.props.get("status"), True)

    async def publish_wish(self, row: Mapping[str, Any], region_id: str) -> WishChange:
        wish_id = str(row["id"])
        with self._writing() as (db, mem):
            existing = mem.nodes.get(wish_id)
            if existing is not None and existing.label is not Label.WISH:
                raise wish_rejection("ID_TAKEN", wish_id)
            if existing is not None:
                return WishChange(existing, existing.props.get("status"), False)
            if not mem.has_label(region_id, Label.REGION):
                raise wish_rejection("NO_REGION", wish_id, region_id)
            node = Node(wish_id, Label.WISH, _set({}, **{**row, "status": "PUBLISHED"}))
            _put_node(db, mem, node)
            _put_edge(db, mem, RelType.IN, wish_id, region_id, {})
            return WishChange(node, None, True)

    async def dispatch_wish(self, wish_id: str, organisation_id: str, on: str) -> WishChange:
        with self._writing() as (db, mem):
            wish = self._wish_for(mem, wish_id, WishAction.DISPATCH)
            if not mem.has_label(organisation_id, Label.ORGANISATION):
                raise wish_rejection("NO_ORGANISATION", wish_id, organisation_id)
            _put_edge(db, mem, RelType.DISPATCHED_TO, wish_id, organisation_id,
                      mem.edge_props(RelType.DISPATCHED_TO, wish_id, organisation_id) or {})
            return self._moved(db, mem, wish, WishAction.DISPATCH, dispatchedOn=on)

    async def accept_wish(self, wish_id: str, acceptor_id: str, on: str) -> WishChange:
        with self._writing() as (db, mem):
            wish = self._wish_for(mem, wish_id, WishAction.ACCEPT)
            if _actor(mem, acceptor_id) is None:
                raise wish_rejection("NO_ACTOR", wish_id, acceptor_id)
            _put_edge(db, mem, RelType.ACCEPTED, acceptor_id, wish_id, {"on": on})
            return self._moved(db, mem, wish, WishAction.ACCEPT, acceptedOn=on)

    async def fulfil_wish(
        self, wish_id: str, on: str, contributor_ids: Sequence[str] = (),
        warehouse_id: str | None = None, supply: Supply | None = None,
    ) -> WishChange:
        with self._writing() as (db, mem):
            wish = self._wish_for(mem, wish_id, WishAction.FULFIL)
            missing = [c for c in dict.fromkeys(contributor_ids) if _actor(mem, c) is None]
            if missing:
                raise wish_rejection("NO_CONTRIBUTOR", wish_id, missing[0])
            if warehouse_id is not None:
                house = mem.nodes.get(warehouse_id)
                if house is None or house.label is not Label.ENTERPRISE or house.props.get("wishWarehouse") is not True:
                    raise wish_rejection("NOT_WAREHOUSE", wish_id, warehouse_id)
            givers = list(dict.fromkeys([*contributor_ids, *mem.into(wish_id, RelType.ACCEPTED)]))
            for giver in givers:
                if mem.edge_props(RelType.CONTRIBUTED, giver, wish_id) is None:
                    _put_edge(db, mem, RelType.CONTRIBUTED, giver, wish_id, {"on": on})
            if warehouse_id is not None:
                prior = mem.edge_props(RelType.CONTRIBUTED, warehouse_id, wish_id) or {}
                _put_edge(db, mem, RelType.CONTRIBUTED, warehouse_id, wish_id,
                          {**prior, "on": prior.get("on", on), "supply": (supply or Supply.DONATION).value})
            return self._moved(db, mem, wish, WishAction.FULFIL, fulfilledOn=on)

    async def rate_wish(self, wish_id: str, rating: int, comment: str | None, on: str) -> WishChange:
        wish_rules.check_rating(rating)
        with self._writing() as (db, mem):
            wish = self._wish_for(mem, wish_id, WishAction.RATE)
            return self._moved(db, mem, wish, WishAction.RATE, rating=rating, ratingComment=comment, ratedOn=on)

    async def cancel_wish(self, wish_id: str, on: str, reason: str | None) -> WishChange:
        with self._writing() as (db, mem):
            wish = self._wish_for(mem, wish_id, WishAction.CANCEL)
            return self._moved(db, mem, wish, WishAction.CANCEL, cancelledOn=on, cancelReason=reason)

    async def wish_facts(self, region_id: str | None, since: str | None, until: str | None) -> WishFacts:
        with self._reading() as mem:
            regions = _scoped(mem, region_id)
            facts: list[WishFact] = []
            contributors: set[str] = set()
            for wish_id in sorted(mem.by_label[Label.WISH]):
                wish = mem.nodes[wish_id]
                published = wish.props.get("publishedOn")
                if not _in_period(published, since, until):
                    continue
                if not _within(mem, wish, regions):
                    continue
                givers = [g for g in mem.into(wish_id, RelType.CONTRIBUTED) if g in mem.nodes]
                contributors.update(givers)
                dispatched = wish.props.get("dispatchedOn") is not None or any(
                    mem.has_label(o, Label.ORGANISATION) for o in mem.out(wish_id, RelType.DISPATCHED_TO))
                warehouse = any(mem.has_label(g, Label.ENTERPRISE) and mem.nodes[g].props.get("wishWarehouse") is True
                                for g in givers)
                facts.append(WishFact(wish_id, str(wish.props.get("status")), published, wish.props.get("fulfilledOn"),
                                      dispatched, any(True for _ in mem.into(wish_id, RelType.ACCEPTED)), warehouse))
        return WishFacts(facts, len(contributors))

    # meetings and matters -------------------------------------------------------------------------
    async def record_meeting(self, record: MeetingRecord) -> MeetingChange:
        check_meeting(record)
        attendees = list(dict.fromkeys([*([record.chair_id] if record.chair_id else []), *record.attendee_ids]))
        with self._writing() as (db, mem):
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
            _put_node(db, mem, meeting)
            _put_edge(db, mem, RelType.OF, record.id, record.alliance_id, {})
            for oid in attendees:
                _put_edge(db, mem, RelType.ATTENDED, oid, record.id,
                          {"role": "CHAIR" if oid == record.chair_id else None})
            for m in record.matters:
                _put_node(db, mem, Node(m.id, Label.MATTER, matter_props(m, record.held_on)))
                _put_edge(db, mem, RelType.DECIDED_AT, m.id, record.id, {})
                if m.organisation_id is not None:
                    _put_edge(db, mem, RelType.ASSIGNED_TO, m.id, m.organisation_id,
                              {"person": m.person, "on": record.held_on})
            return MeetingChange(meeting, _matters_of(mem, record.id), True)

    def _matter_for(self, mem: MemoryGraph, matter_id: str, action: MatterAction) -> Node:
        matter = mem.nodes.get(matter_id)
        if matter is None or matter.label is not Label.MATTER:
            raise matter_rejection("NO_MATTER", matter_id)
        if matter.props.get("status") not in matter_rules.allowed_from(action):
            raise matter_rules.illegal(matter_id, action, matter.props.get("status"))
        return matter

    async def assign_matter(
        self, matter_id: str, organisation_id: str, person: str | None, due: str | None, on: str
    ) -> MatterChange:
        with self._writing() as (db, mem):
            matter = self._matter_for(mem, matter_id, MatterAction.ASSIGN)
            if not mem.has_label(organisation_id, Label.ORGANISATION):
                raise matter_rejection("NO_ORGANISATION", matter_id, organisation_id)
            for old in [o for o in mem.out(matter_id, RelType.ASSIGNED_TO) if mem.has_label(o, Label.ORGANISATION)]:
                _drop_edge(db, mem, RelType.ASSIGNED_TO, matter_id, old)
            _put_edge(db, mem, RelType.ASSIGNED_TO, matter_id, organisation_id, {"person": person, "on": on})
            node = Node(matter_id, Label.MATTER, _set(matter.props, status=MatterStatus.IN_PROGRESS.value,
                                                      due=due or matter.props.get("due"), assignedOn=on))
            _put_node(db, mem, node)
            return MatterChange(node, matter.props.get("status"))

    async def complete_matter(self, matter_id: str, on: str) -> MatterChange:
        with self._writing() as (db, mem):
            matter = self._matter_for(mem, matter_id, MatterAction.COMPLETE)
            if not any(mem.has_label(o, Label.ORGANISATION) for o in mem.out(matter_id, RelType.ASSIGNED_TO)):
                raise matter_rules.unassigned(matter_id, matter.props.get("status"))
            node = Node(matter_id, Label.MATTER, _set(matter.props, status=MatterStatus.DONE.value, doneOn=on))
            _put_node(db, mem, node)
            return MatterChange(node, matter.props.get("status"))

    async def meeting_facts(self, region_id: str | None, since: str | None, until: str | None) -> MeetingFacts:
        meetings: list[MeetingFact] = []
        matters: list[MatterFact] = []
        with self._reading() as mem:
            regions = _scoped(mem, region_id)
            alliances = {a for a in mem.by_label[Label.ALLIANCE] if _within(mem, mem.nodes[a], regions)}
            for mid in sorted(mem.by_label[Label.MEETING]):
                held = mem.nodes[mid].props.get("heldOn")
                if not _in_period(held, since, until):
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

    # dual reporting -----------------------------------------------------------------------------
    async def report_to_community(
        self, member_id: str, organisation_id: str, on: str, post: str | None
    ) -> ReportChange:
        with self._writing() as (db, mem):
            member = mem.nodes.get(member_id)
            if member is None or member.label is not Label.MEMBER:
                raise report_rejection("NO_MEMBER", member_id)
            org = mem.nodes.get(organisation_id)
            if org is None or org.label is not Label.ORGANISATION:
                raise report_rejection("NO_ORGANISATION", member_id, organisation_id)
            priors = sorted(o for o in mem.out(member_id, RelType.REPORTED_TO) if mem.has_label(o, Label.ORGANISATION))
            outcome = report_outcome(organisation_id, org.props.get("kind"), member.props.get("inService"), priors)
            if outcome == "REPEAT":
                props = mem.edge_props(RelType.REPORTED_TO, member_id, organisation_id) or {}
                return ReportChange(member_id, organisation_id, props.get("on"), props.get("post"), False)
            if outcome != "OK":
                raise report_rejection(outcome, member_id, priors[0] if outcome == "ELSEWHERE" else organisation_id)
            _put_edge(db, mem, RelType.REPORTED_TO, member_id, organisation_id, {"on": on, "post": post})
            return ReportChange(member_id, organisation_id, on, post, True)

    async def reporting_facts(self, region_id: str | None) -> list[ReportFact]:
        out: list[ReportFact] = []
        with self._reading() as mem:
            regions = _scoped(mem, region_id)
            for cid in sorted(mem.by_label[Label.ORGANISATION]):
                if not _within(mem, mem.nodes[cid], regions):
                    continue
                for mid, props in mem.related(cid, RelType.REPORTED_TO, outgoing=False):
                    if not mem.has_label(mid, Label.MEMBER):
                        continue
                    units: list[str | None] = [
                        u for u in mem.out(mid, RelType.BELONGS_TO) if mem.has_label(u, Label.ORGANISATION)]
                    for unit in units or [None]:
                        out.append(ReportFact(mid, unit, cid, props.get("on"), props.get("post")))
        return out

    async def unreported_members(self, unit_id: str) -> list[Node]:
        with self._reading() as mem:
            if not mem.has_label(unit_id, Label.ORGANISATION):
                return []
            found = [
                mem.nodes[m] for m in mem.into(unit_id, RelType.BELONGS_TO)
                if mem.has_label(m, Label.MEMBER) and mem.nodes[m].props.get("inService", True) is True
                and not any(mem.has_label(o, Label.ORGANISATION) for o in mem.out(m, RelType.REPORTED_TO))
            ]
        return sorted(found, key=lambda n: n.id)

    # grids and health ----------------------------------------------------------------------------
    async def grid_facts(self, region_id: str | None) -> list[GridFact]:
        with self._reading() as mem:
            regions = _scoped(mem, region_id)
            out = []
            for gid in sorted(mem.by_label[Label.REGION]):
                grid = mem.nodes[gid]
                if grid.props.get("level") != RegionLevel.GRID or (regions is not None and gid not in regions):
                    continue
                level = grid.props.get("gridLevel")
                out.append(GridFact(
                    gid, None if level is None else int(level), _place_of(mem, gid),
                    sum(mem.has_label(o, Label.ORGANISATION) for o in mem.into(gid, RelType.LOCATED_IN)),
                    sum(mem.has_label(m, Label.MEMBER) for m in mem.into(gid, RelType.RESPONSIBLE_FOR)),
                ))
        return out

    async def health_facts(self, region_id: str | None) -> HealthFacts:
        facts = HealthFacts()
        with self._reading() as mem:
            regions = _scoped(mem, region_id)
            for oid in sorted(mem.by_label[Label.ORGANISATION]):
                org = mem.nodes[oid]
                if org.props.get("level") != "BRANCH" or not _within(mem, org, regions):
                    continue
                full = sum(mem.has_label(m, Label.MEMBER) and mem.nodes[m].props.get("probationary", False) is False
                           for m in mem.into(oid, RelType.BELONGS_TO))
                facts.branches.append(BranchFact(oid, full))
            for aid in sorted(mem.by_label[Label.ALLIANCE]):
                if not _within(mem, mem.nodes[aid], regions):
                    continue
                held = [h for m in mem.into(aid, RelType.OF) if mem.has_label(m, Label.MEETING)
                        if isinstance(h := mem.nodes[m].props.get("heldOn"), str)]
                facts.alliances.append(AllianceFact(aid, max(held) if held else None))
            for gid in sorted(mem.by_label[Label.AGREEMENT]):
                agreement = mem.nodes[gid]
                valid_to = agreement.props.get("validTo")
                if agreement.props.get("status") != "ACTIVE" or valid_to is None:
                    continue
                if _within(mem, agreement, regions):
                    facts.agreements.append(AgreementFact(gid, valid_to))
        return facts


def _in_period(day: Any, since: str | None, until: str | None) -> bool:
    """`since <= day <= until` with Cypher's nulls: a missing day is outside any bounded period."""
    if since is None and until is None:
        return True
    if not isinstance(day, str):
        return False
    return (since is None or day >= since) and (until is None or day <= until)


def _matters_of(mem: MemoryGraph, meeting_id: str) -> list[Node]:
    return [mem.nodes[x] for x in sorted(mem.into(meeting_id, RelType.DECIDED_AT)) if mem.has_label(x, Label.MATTER)]


def _place_of(mem: MemoryGraph, grid_id: str) -> str | None:
    """The nearest non-grid region above a grid, within four PART_OF hops (grid_facts.cypher)."""
    frontier: Iterator[str] | list[str] = [grid_id]
    for _ in range(4):
        parents = sorted({p for g in frontier for p in mem.out(g, RelType.PART_OF) if mem.has_label(p, Label.REGION)})
        for p in parents:
            if mem.nodes[p].props.get("level") != RegionLevel.GRID:
                return p
        frontier = parents
    return None



