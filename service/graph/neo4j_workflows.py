"""The workflow port on Neo4j: one parameterised statement per call, from cypher/queries/wish_*,
meeting_*, matter_*, report_*, *_facts. Mixed into Neo4jStore, whose `_run` it uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, LiteralString

import neo4j

from service.cypher import statement
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
from service.model import MatterStatus
from service.workflows import matters as matter_rules
from service.workflows import wishes as wish_rules
from service.workflows.grids import GridFact
from service.workflows.health import AgreementFact, AllianceFact, BranchFact
from service.workflows.matters import MatterAction, MatterFact, MeetingFact
from service.workflows.reporting import RECEIVING_KINDS, ReportFact
from service.workflows.wishes import TRANSITIONS, WishAction, WishFact


def _node(n: neo4j.graph.Node) -> Node:
    from service.graph.neo4j_store import to_node  # the adapter's converter; imported late to avoid a cycle

    return to_node(n)


class Neo4jWorkflows:
    if TYPE_CHECKING:
        async def _run(
            self, query: LiteralString, params: Mapping[str, Any], *, write: bool = False
        ) -> list[neo4j.Record]: ...

    # micro-wishes -------------------------------------------------------------------------------
    async def _wish_move(self, name: str, action: WishAction, wish_id: str, params: Mapping[str, Any],
                         target: Any = None) -> WishChange:
        move = TRANSITIONS[action]
        [r] = await self._run(
            statement(name),
            {"wishId": wish_id, "allowed": wish_rules.allowed_from(action), "to": move.to.value, **params},
            write=True,
        )
        outcome = r["outcome"]
        if outcome == "ILLEGAL":
            raise wish_rules.illegal(wish_id, action, r["before"])
        if outcome != "OK":
            raise wish_rejection(outcome, wish_id, r.get("target", target))
        return WishChange(_node(r["w"]), r["before"], True)

    async def publish_wish(self, row: Mapping[str, Any], region_id: str) -> WishChange:
        [r] = await self._run(statement("wish_publish"), {"row": dict(row), "regionId": region_id}, write=True)
        if r["outcome"] not in ("OK", "REPEAT"):
            raise wish_rejection(r["outcome"], str(row["id"]), region_id)
        return WishChange(_node(r["w"]), r["before"], r["outcome"] == "OK")

    async def dispatch_wish(self, wish_id: str, organisation_id: str, on: str) -> WishChange:
        return await self._wish_move("wish_dispatch", WishAction.DISPATCH, wish_id,
                                     {"organisationId": organisation_id, "on": on}, organisation_id)

    async def accept_wish(self, wish_id: str, acceptor_id: str, on: str) -> WishChange:
        return await self._wish_move("wish_accept", WishAction.ACCEPT, wish_id,
                                     {"actorId": acceptor_id, "on": on}, acceptor_id)

    async def fulfil_wish(
        self, wish_id: str, on: str, contributor_ids: Sequence[str] = (),
        warehouse_id: str | None = None, supply: Supply | None = None,
    ) -> WishChange:
        params = {"on": on, "contributorIds": list(dict.fromkeys(contributor_ids)), "warehouseId": warehouse_id,
                  "supply": None if warehouse_id is None else (supply or Supply.DONATION).value}
        return await self._wish_move("wish_fulfil", WishAction.FULFIL, wish_id, params)

    async def rate_wish(self, wish_id: str, rating: int, comment: str | None, on: str) -> WishChange:
        wish_rules.check_rating(rating)
        return await self._wish_move("wish_rate", WishAction.RATE, wish_id,
                                     {"rating": rating, "comment": comment, "on": on})

    async def cancel_wish(self, wish_id: str, on: str, reason: str | None) -> WishChange:
        return await self._wish_move("wish_cancel", WishAction.CANCEL, wish_id, {"on": on, "reason": reason})

    async def wish_facts(self, region_id: str | None, since: str | None, until: str | None) -> WishFacts:
        rows = await self._run(statement("wish_facts"), {"regionId": region_id, "since": since, "until": until})
        contributors = {c for r in rows for c in r["contributors"]}
        facts = [WishFact(r["id"], r["status"], r["publishedOn"], r["fulfilledOn"], r["dispatched"], r["accepted"],
                          r["warehouse"]) for r in rows]
        return WishFacts(facts, len(contributors))

    # meetings and matters -------------------------------------------------------------------------
    async def record_meeting(self, record: MeetingRecord) -> MeetingChange:
        check_meeting(record)
        meeting = meeting_props(record)
        attendees = list(dict.fromkeys([*([record.chair_id] if record.chair_id else []), *record.attendee_ids]))
        matters = [{"props": matter_props(m, record.held_on),
                    "organisationId": m.organisation_id, "person": m.person, "on": record.held_on}
                   for m in record.matters]
        [r] = await self._run(statement("meeting_record"), {
            "meeting": meeting, "allianceId": record.alliance_id, "attendeeIds": attendees,
            "chairId": record.chair_id, "matters": matters,
        }, write=True)
        if r["outcome"] not in ("OK", "REPEAT"):
            raise meeting_rejection(r["outcome"], record.id, r["target"])
        return MeetingChange(_node(r["m"]), [_node(x) for x in r["matters"]], r["outcome"] == "OK")

    async def _matter_move(self, name: str, action: MatterAction, matter_id: str, params: Mapping[str, Any],
                           target: Any = None) -> MatterChange:
        to = MatterStatus.IN_PROGRESS if action is MatterAction.ASSIGN else MatterStatus.DONE
        [r] = await self._run(statement(name), {"matterId": matter_id, "allowed": matter_rules.allowed_from(action),
                                                "to": to.value, **params}, write=True)
        outcome = r["outcome"]
        if outcome == "ILLEGAL":
            raise matter_rules.illegal(matter_id, action, r["before"])
        if outcome == "UNASSIGNED":
            raise matter_rules.unassigned(matter_id, r["before"])
        if outcome != "OK":
            raise matter_rejection(outcome, matter_id, target)
        return MatterChange(_node(r["x"]), r["before"])

    async def assign_matter(
        self, matter_id: str, organisation_id: str, person: str | None, due: str | None, on: str
    ) -> MatterChange:
        return await self._matter_move("matter_assign", MatterAction.ASSIGN, matter_id, {
            "organisationId": organisation_id, "person": person, "due": due, "on": on}, organisation_id)

    async def complete_matter(self, matter_id: str, on: str) -> MatterChange:
        return await self._matter_move("matter_complete", MatterAction.COMPLETE, matter_id, {"on": on})

    async def meeting_facts(self, region_id: str | None, since: str | None, until: str | None) -> MeetingFacts:
        rows = await self._run(statement("meeting_facts"), {"regionId": region_id, "since": since, "until": until})
        meetings = [MeetingFact(r["id"], r["allianceId"], r["heldOn"]) for r in rows]
        matters = [MatterFact(x["id"], r["id"], r["allianceId"], x["mode"], x["status"], x["due"], x["doneOn"])
                   for r in rows for x in r["matters"]]
        return MeetingFacts(meetings, matters)

    # dual reporting -----------------------------------------------------------------------------
    async def report_to_community(
        self, member_id: str, organisation_id: str, on: str, post: str | None
    ) -> ReportChange:
        [r] = await self._run(statement("report_to_community"), {
            "memberId": member_id, "organisationId": organisation_id, "on": on, "post": post,
            "kinds": sorted(RECEIVING_KINDS)}, write=True)
        outcome = r["outcome"]
        if outcome not in ("OK", "REPEAT"):
            raise report_rejection(outcome, member_id, r["current"] if outcome == "ELSEWHERE" else organisation_id)
        return ReportChange(member_id, organisation_id, r["on"], r["post"], outcome == "OK")

    async def reporting_facts(self, region_id: str | None) -> list[ReportFact]:
        rows = await self._run(statement("reporting_facts"), {"regionId": region_id})
        return [ReportFact(r["memberId"], r["unitId"], r["communityId"], r["on"], r["post"]) for r in rows]

    async def unreported_members(self, unit_id: str) -> list[Node]:
        return [_node(r["m"]) for r in await self._run(statement("unreported_members"), {"unitId": unit_id})]

    # grids and health ----------------------------------------------------------------------------
    async def grid_facts(self, region_id: str | None) -> list[GridFact]:
        rows = await self._run(statement("grid_facts"), {"regionId": region_id})
        return [GridFact(r["id"], _int(r["gridLevel"]), r["placeId"], r["branches"], r["responsible"]) for r in rows]

    async def health_facts(self, region_id: str | None) -> HealthFacts:
        facts = HealthFacts()
        for r in await self._run(statement("health_facts"), {"regionId": region_id}):
            if r["kind"] == "BRANCH":
                facts.branches.append(BranchFact(r["id"], r["count"]))
            elif r["kind"] == "ALLIANCE":
                facts.alliances.append(AllianceFact(r["id"], r["date"]))
            else:
                facts.agreements.append(AgreementFact(r["id"], r["date"]))
        return facts


def _int(value: Any) -> int | None:
    return None if value is None else int(value)

