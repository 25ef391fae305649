"""Root fields of the seeds' working systems: micro-wishes, joint meetings and matters, dual
reporting, grids, teams and service centres, grid coverage and organisation health. Reads pass the
caller's region scope into the store query; writes need the importer or admin role and nodes inside
the caller's region."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Annotated, cast

import strawberry

from service.api.limits import DEFAULT_FIRST, check_first
from service.api.mutations import UpsertPayload, _batch, _payload, _require_in_scope
from service.api.queries import scoped_region
from service.api.types import workflows as t
from service.api.types.base import Info, wrap
from service.api.types.connections import Connection, connection
from service.api.types.entities import Matter, Meeting, Member, ServiceCentre, Team, Wish
from service.errors import Conflict, Forbidden, NotFound, ValidationFailed
from service.graph.types import Condition, Node, Op, Query, RelGroup, RelRow
from service.graph.workflow_types import HealthFacts, MatterInput, MeetingRecord, WishChange
from service.model import Label, MatterMode, MatterStatus, RegionLevel, RelType, Supply, TeamKind, WishStatus
from service.workflows import grids, health, matters, reporting
from service.workflows.wishes import check_date, funnel

From = Annotated[str | None, strawberry.argument(name="from", description="ISO date, inclusive.")]


def _day(value: str | None, field: str) -> str | None:
    return None if value is None else check_date(value, field)


def _today(value: str | None, field: str = "on") -> str:
    return _day(value, field) or dt.date.today().isoformat()


async def _nodes(info: Info, ids: Sequence[str]) -> dict[str, Node]:
    """Nodes by id in one store call (for the statistics' organisations and alliances)."""
    wanted = sorted(set(ids))
    return {n.id: n for n in await info.context.store.get_nodes(wanted)} if wanted else {}


async def _in_scope(info: Info, node_id: str, label: Label | tuple[Label, ...], what: str) -> Node:
    """The node, which must exist with one of the labels and lie inside the caller's region."""
    labels = label if isinstance(label, tuple) else (label,)
    found = await info.context.store.get_node(node_id)
    if found is None or found.label not in labels:
        raise NotFound(f"no {what} {node_id!r}")
    if info.context.region_id is not None and not await info.context.visible([found]):
        raise Forbidden(f"{what} {node_id!r} lies outside your key's region {info.context.region_id!r}")
    return found


async def _listing(info: Info, label: Label, region_id: strawberry.ID | None, where: tuple[Condition, ...],
                   first: int, after: str | None, order_by: str, descending: bool = True) -> Connection[object]:
    check_first(first)
    region = await scoped_region(info, None if region_id is None else str(region_id))
    page = await info.context.store.list_nodes(Query(label, where=where, region_id=region, order_by=order_by,
                                                     descending=descending, first=first, after=after))
    return connection(page, order_by, wrap)


async def _linked(info: Info, ids: Iterable[str], label: Label, what: str) -> dict[str, Node]:
    """The nodes rows link to: each must exist with the label and lie inside the caller's region."""
    found = await _nodes(info, list(ids))
    for node_id in sorted(set(ids)):
        if node_id not in found or found[node_id].label is not label:
            raise NotFound(f"no {what} {node_id!r}")
    await _require_in_scope(info, list(found.values()), what)
    return found


async def _member(info: Info, member_id: str) -> Node:
    found = await info.context.store.get_node(member_id)
    if found is None or found.label is not Label.MEMBER:
        raise NotFound(f"no member {member_id!r}")
    return found


async def _upsert_placed(info: Info, label: Label, rows: list[dict[str, object]], groups: list[RelGroup],
                         what: str) -> UpsertPayload:
    """Nodes with the links that place them (a team's organiser, a centre's region), in one transaction;
    a single-valued link replaces the old one. A region-scoped key changes only nodes already inside its
    region (the new links were checked by _linked), so it cannot move another street's team or centre."""
    ids = [str(r["id"]) for r in rows]
    if len(set(ids)) != len(ids):
        raise ValidationFailed(f"{what}: each id once per request")
    existing = await _nodes(info, ids)
    taken = sorted(i for i, n in existing.items() if n.label is not label)
    if taken:
        raise Conflict(f"id {taken[0]!r} is already used by a node that is not a {label.value}")
    await _require_in_scope(info, list(existing.values()), what)
    result = await info.context.store.upsert_batch([(label, rows)], groups)
    return _payload(result.nodes[0])


def _offers(offers: list[str] | None) -> list[str] | None:
    if offers is None:
        return None
    clean = [o.strip() for o in offers if o.strip()]
    return list(dict.fromkeys(clean))  # first spelling kept, repeats dropped


@strawberry.type
class WorkflowQuery:
    @strawberry.field(description="The micro-wish funnel within a region and period of publication.")
    async def wish_funnel(self, info: Info, region_id: strawberry.ID | None = None, from_: From = None,
                          to: str | None = None) -> t.WishFunnel:
        region = await scoped_region(info, None if region_id is None else str(region_id))
        facts = await info.context.store.wish_facts(region, _day(from_, "from"), _day(to, "to"))
        f = funnel(facts.wishes, facts.contributors)
        return t.WishFunnel(published=f.published, dispatched=f.dispatched, accepted=f.accepted,
                            fulfilled=f.fulfilled, rated=f.rated, cancelled=f.cancelled, contributors=f.contributors,
                            warehouse_fulfilled=f.warehouse_fulfilled, median_days_to_fulfil=f.median_days_to_fulfil)

    @strawberry.field(description="Wishes, newest first; recipients are shown to admins only.")
    async def wishes(self, info: Info, region_id: strawberry.ID | None = None,
                     status: WishStatus | None = None,
                     first: int = DEFAULT_FIRST, after: str | None = None) -> Connection[Wish]:
        where = () if status is None else (Condition("status", Op.EQ, status.value),)
        return cast(Connection[Wish], await _listing(info, Label.WISH, region_id, where, first, after, "publishedOn"))

    @strawberry.field(description="Joint meetings and matters within a region and period; overdue as of asOf.")
    async def meeting_stats(self, info: Info, region_id: strawberry.ID | None = None, from_: From = None,
                            to: str | None = None, as_of: str | None = None) -> t.MeetingStats:
        region = await scoped_region(info, None if region_id is None else str(region_id))
        facts = await info.context.store.meeting_facts(region, _day(from_, "from"), _day(to, "to"))
        summary = matters.summarise(facts.meetings, facts.matters, dt.date.fromisoformat(_today(as_of, "asOf")))
        alliances = await _nodes(info, [a.alliance_id for a in summary.per_alliance])
        per = [t.AllianceMeetingStats(alliance=wrap(alliances[a.alliance_id]), meetings=a.meetings, matters=a.matters,
                                      matters_done=a.done, overdue=a.overdue, last_held_on=a.last_held_on,
                                      by_month=[t.MonthCount(month=k, meetings=v) for k, v in a.by_month.items()])
               for a in summary.per_alliance if a.alliance_id in alliances]
        return t.MeetingStats(meetings=summary.meetings, matters=summary.matters,
                              important_matters=summary.important_matters, matters_done=summary.matters_done,
                              overdue=summary.overdue, completion_rate=summary.completion_rate, per_alliance=per)

    @strawberry.field(description="Meetings, latest first.")
    async def meetings(self, info: Info, region_id: strawberry.ID | None = None,
                       first: int = DEFAULT_FIRST, after: str | None = None) -> Connection[Meeting]:
        return cast(Connection[Meeting], await _listing(info, Label.MEETING, region_id, (), first, after, "heldOn"))

    @strawberry.field(description="Matters, latest deadline first; `overdueOn` keeps those not done and past due then.")
    async def matters(self, info: Info, region_id: strawberry.ID | None = None,
                      status: MatterStatus | None = None,
                      overdue_on: str | None = None,
                      first: int = DEFAULT_FIRST, after: str | None = None) -> Connection[Matter]:
        where: list[Condition] = []
        if status is not None:
            where.append(Condition("status", Op.EQ, status.value))
        if overdue_on is not None:
            day = check_date(overdue_on, "overdueOn")
            before = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
            where += [Condition("due", Op.LTE, before),
                      Condition("status", Op.IN, [MatterStatus.OPEN.value, MatterStatus.IN_PROGRESS.value])]
        return cast(Connection[Matter], await _listing(info, Label.MATTER, region_id, tuple(where), first, after,
                                                       "due"))

    @strawberry.field(description="Volunteer teams, commandos, think tanks and stationed teams organised by units "
                                  "within a region, by name.")
    async def teams(self, info: Info, region_id: strawberry.ID | None = None,
                    kind: TeamKind | None = None,
                    first: int = DEFAULT_FIRST, after: str | None = None) -> Connection[Team]:
        where = () if kind is None else (Condition("kind", Op.EQ, kind.value),)
        return cast(Connection[Team], await _listing(info, Label.TEAM, region_id, where, first, after, "name",
                                                     descending=False))

    @strawberry.field(description="Party-and-people service centres in a region, by name.")
    async def service_centres(self, info: Info, region_id: strawberry.ID | None = None,
                              first: int = DEFAULT_FIRST, after: str | None = None) -> Connection[ServiceCentre]:
        return cast(Connection[ServiceCentre], await _listing(info, Label.SERVICE_CENTRE, region_id, (), first, after,
                                                              "name", descending=False))

    @strawberry.field(description="Dual reporting (双报到) to the communities within a region.")
    async def reporting_stats(self, info: Info, region_id: strawberry.ID | None = None) -> t.ReportingStats:
        region = await scoped_region(info, None if region_id is None else str(region_id))
        summary = reporting.summarise(await info.context.store.reporting_facts(region))
        orgs = await _nodes(info, [c.community_id for c in summary.by_community] + [u.unit_id for u in summary.by_unit])
        return t.ReportingStats(
            units=summary.units, members=summary.members,
            by_community=[t.CommunityReporting(community=wrap(orgs[c.community_id]), members=c.members, units=c.units)
                          for c in summary.by_community if c.community_id in orgs],
            by_unit=[t.UnitReporting(unit=wrap(orgs[u.unit_id]), members=u.members, communities=u.communities)
                     for u in summary.by_unit if u.unit_id in orgs],
        )

    @strawberry.field(description="In-service members of a unit who have not reported to a community yet.")
    async def unreported_members(self, info: Info, unit_id: strawberry.ID) -> list[Member]:
        unit = await _in_scope(info, str(unit_id), Label.ORGANISATION, "organisation")
        return [wrap(n) for n in await info.context.store.unreported_members(unit.id)]

    @strawberry.field(description="Grid coverage per grid level: the asked region first, then each community, "
                                  "village or street holding grids.")
    async def grid_coverage(self, info: Info, region_id: strawberry.ID | None = None) -> list[t.GridCoverage]:
        region = await scoped_region(info, None if region_id is None else str(region_id))
        rows = grids.coverage(await info.context.store.grid_facts(region), region)
        places = await _nodes(info, [r.region_id for r in rows if r.region_id is not None])
        return [t.GridCoverage(region=wrap(places[r.region_id]) if r.region_id in places else None,
                               grid_level=r.grid_level, grids=r.grids, covered=r.covered,
                               with_responsible=r.with_responsible, coverage=r.coverage)
                for r in rows if r.region_id is None or r.region_id in places]

    @strawberry.field(description="Branches outside 3–50 full members, alliances without a meeting in the last "
                                  "quarter, agreements past their end still ACTIVE; as of asOf (default today).")
    async def organisation_health(self, info: Info, region_id: strawberry.ID | None = None,
                                  as_of: str | None = None) -> t.OrganisationHealth:
        region = await scoped_region(info, None if region_id is None else str(region_id))
        day = _today(as_of, "asOf")
        h = health.assess(*_health_parts(await info.context.store.health_facts(region)), dt.date.fromisoformat(day))
        nodes = await _nodes(info, [b.id for b in h.too_small + h.too_large] + [a.id for a in h.quiet_alliances]
                             + [a.id for a in h.overdue_agreements])
        return t.OrganisationHealth(
            as_of=day,
            branches_too_small=[t.BranchSize(organisation=wrap(nodes[b.id]), full_members=b.full_members)
                                for b in h.too_small if b.id in nodes],
            branches_too_large=[t.BranchSize(organisation=wrap(nodes[b.id]), full_members=b.full_members)
                                for b in h.too_large if b.id in nodes],
            quiet_alliances=[t.QuietAlliance(alliance=wrap(nodes[a.id]), last_held_on=a.last_held_on)
                             for a in h.quiet_alliances if a.id in nodes],
            overdue_agreements=[wrap(nodes[a.id]) for a in h.overdue_agreements if a.id in nodes],
        )


def _health_parts(facts: HealthFacts) -> tuple[list[health.BranchFact], list[health.AllianceFact],
                                               list[health.AgreementFact]]:
    return facts.branches, facts.alliances, facts.agreements


def _wish_payload(change: WishChange) -> t.WishPayload:
    return t.WishPayload(wish=wrap(change.wish), previous_status=change.before, changed=change.changed)


@strawberry.type
class WorkflowMutation:
    @strawberry.mutation(description="点单: publish a resident's wish in a community. Idempotent on the id.")
    async def publish_wish(self, info: Info, id: strawberry.ID, title: str, region_id: strawberry.ID,
                           category: str | None = None, published_on: str | None = None,
                           recipient: str | None = None, recipient_phone: str | None = None,
                           recipient_address: str | None = None) -> t.WishPayload:
        info.context.caller.require_writer("publishWish")
        region = await _in_scope(info, str(region_id), Label.REGION, "region")
        row = {"id": str(id), "title": title, "category": category, "publishedOn": _today(published_on, "publishedOn"),
               "recipient": recipient, "recipientPhone": recipient_phone, "recipientAddress": recipient_address}
        clean = {k: v for k, v in row.items() if v is not None}
        return _wish_payload(await info.context.store.publish_wish(clean, region.id))

    @strawberry.mutation(description="派单: dispatch a PUBLISHED wish to an organisation.")
    async def dispatch_wish(self, info: Info, wish_id: strawberry.ID, organisation_id: strawberry.ID,
                            on: str | None = None) -> t.WishPayload:
        info.context.caller.require_writer("dispatchWish")
        await _in_scope(info, str(wish_id), Label.WISH, "wish")
        return _wish_payload(await info.context.store.dispatch_wish(str(wish_id), str(organisation_id), _today(on)))

    @strawberry.mutation(description="接单: a member, organisation or enterprise accepts a DISPATCHED wish; "
                                     "of two acceptors racing, one wins and the other gets ILLEGAL_STATE.")
    async def accept_wish(self, info: Info, wish_id: strawberry.ID, acceptor_id: strawberry.ID,
                          on: str | None = None) -> t.WishPayload:
        info.context.caller.require_writer("acceptWish")
        await _in_scope(info, str(wish_id), Label.WISH, "wish")
        return _wish_payload(await info.context.store.accept_wish(str(wish_id), str(acceptor_id), _today(on)))

    @strawberry.mutation(description="An ACCEPTED wish is fulfilled; the acceptor and contributors are recorded, "
                                     "and a wish warehouse (如愿义仓) that supplied goods with how it did.")
    async def fulfil_wish(self, info: Info, wish_id: strawberry.ID, on: str | None = None,
                          contributor_ids: list[strawberry.ID] | None = None,
                          warehouse_id: strawberry.ID | None = None,
                          supply: Supply | None = None) -> t.WishPayload:
        info.context.caller.require_writer("fulfilWish")
        await _in_scope(info, str(wish_id), Label.WISH, "wish")
        if supply is not None and warehouse_id is None:
            raise ValidationFailed("supply describes a wish warehouse's goods: give warehouseId too")
        return _wish_payload(await info.context.store.fulfil_wish(
            str(wish_id), _today(on), [str(c) for c in contributor_ids or []],
            None if warehouse_id is None else str(warehouse_id), None if supply is None else Supply(supply.value)))

    @strawberry.mutation(description="评单: the resident rates a FULFILLED wish 1–5 with a comment.")
    async def rate_wish(self, info: Info, wish_id: strawberry.ID, rating: int, comment: str | None = None,
                        on: str | None = None) -> t.WishPayload:
        info.context.caller.require_writer("rateWish")
        await _in_scope(info, str(wish_id), Label.WISH, "wish")
        return _wish_payload(await info.context.store.rate_wish(str(wish_id), rating, comment, _today(on)))

    @strawberry.mutation(description="Cancel a wish before it is fulfilled.")
    async def cancel_wish(self, info: Info, wish_id: strawberry.ID, reason: str | None = None,
                          on: str | None = None) -> t.WishPayload:
        info.context.caller.require_writer("cancelWish")
        await _in_scope(info, str(wish_id), Label.WISH, "wish")
        return _wish_payload(await info.context.store.cancel_wish(str(wish_id), _today(on), reason))

    @strawberry.mutation(description="Record a joint meeting of an alliance with its attendees, its rotating chair "
                                     "and the matters decided. Idempotent on the meeting id.")
    async def record_meeting(self, info: Info, input: t.RecordMeetingInput) -> t.MeetingPayload:
        info.context.caller.require_writer("recordMeeting")
        await _in_scope(info, str(input.alliance_id), Label.ALLIANCE, "alliance")
        record = MeetingRecord(
            id=str(input.id), alliance_id=str(input.alliance_id), held_on=check_date(input.held_on, "heldOn"),
            topic=input.topic, kind=input.kind, attendee_ids=tuple(str(a) for a in input.attendee_ids),
            chair_id=None if input.chair_id is None else str(input.chair_id),
            matters=tuple(MatterInput(id=str(m.id), title=m.title, mode=MatterMode(m.mode).value,
                                      organisation_id=None if m.organisation_id is None else str(m.organisation_id),
                                      person=m.person, due=_day(m.due, "due")) for m in input.matters),
        )
        change = await info.context.store.record_meeting(record)
        return t.MeetingPayload(meeting=wrap(change.meeting), matters=[wrap(m) for m in change.matters],
                                created=change.created)

    @strawberry.mutation(description="跟踪落实: make a unit and a person responsible for a matter by a deadline "
                                     "(reassigning until it is done).")
    async def assign_matter(self, info: Info, matter_id: strawberry.ID, organisation_id: strawberry.ID, due: str,
                            person: str | None = None, on: str | None = None) -> t.MatterPayload:
        info.context.caller.require_writer("assignMatter")
        await _in_scope(info, str(matter_id), Label.MATTER, "matter")
        change = await info.context.store.assign_matter(str(matter_id), str(organisation_id), person,
                                                  check_date(due, "due"), _today(on))
        return t.MatterPayload(matter=wrap(change.matter), previous_status=change.before)

    @strawberry.mutation(description="Mark an assigned matter done.")
    async def complete_matter(self, info: Info, matter_id: strawberry.ID, on: str | None = None) -> t.MatterPayload:
        info.context.caller.require_writer("completeMatter")
        await _in_scope(info, str(matter_id), Label.MATTER, "matter")
        change = await info.context.store.complete_matter(str(matter_id), _today(on))
        return t.MatterPayload(matter=wrap(change.matter), previous_status=change.before)

    @strawberry.mutation(description="双报到: an in-service member reports to the community (or village) where they "
                                     "live, optionally taking a service post there.")
    async def report_to_community(self, info: Info, member_id: strawberry.ID, organisation_id: strawberry.ID,
                                  on: str | None = None, post: str | None = None) -> t.ReportPayload:
        info.context.caller.require_writer("reportToCommunity")
        await _in_scope(info, str(organisation_id), Label.ORGANISATION, "organisation")
        change = await info.context.store.report_to_community(str(member_id), str(organisation_id), _today(on), post)
        return t.ReportPayload(member_id=strawberry.ID(change.member_id),
                               organisation_id=strawberry.ID(change.organisation_id), on=change.on, post=change.post,
                               created=change.created)

    @strawberry.mutation(description="Create or update teams (志愿服务队, 党员突击队, 智囊团) with the organisation "
                                     "organising each. Idempotent on the ids.")
    async def upsert_teams(self, info: Info, rows: list[t.TeamInput]) -> UpsertPayload:
        info.context.caller.require_writer("upsertTeams")
        _batch(rows, "upsertTeams")
        await _linked(info, (str(r.organiser_id) for r in rows), Label.ORGANISATION, "organisation")
        data: list[dict[str, object]] = [{"id": str(r.id), "name": r.name, "kind": TeamKind(r.kind).value}
                                         for r in rows]
        organised = RelGroup(RelType.ORGANISED_BY, Label.TEAM, Label.ORGANISATION,
                             [RelRow(str(r.id), str(r.organiser_id)) for r in rows])
        return await _upsert_placed(info, Label.TEAM, data, [organised], "teams")

    @strawberry.mutation(description="A member joins a team (SERVES_IN). Joining twice changes nothing.")
    async def join_team(self, info: Info, member_id: strawberry.ID, team_id: strawberry.ID) -> t.TeamMembershipPayload:
        info.context.caller.require_writer("joinTeam")
        team = await _in_scope(info, str(team_id), Label.TEAM, "team")
        # only the team is scope-checked: members of units elsewhere serve where they live (双报到)
        member = await _member(info, str(member_id))
        done = await info.context.store.upsert_relationships(RelType.SERVES_IN, Label.MEMBER, Label.TEAM,
                                                             [RelRow(member.id, team.id)])
        return t.TeamMembershipPayload(team=wrap(team), member_id=strawberry.ID(member.id), created=done.created > 0)

    @strawberry.mutation(description="Make a member responsible for a grid (网格员, RESPONSIBLE_FOR); the region must "
                                     "be a GRID. Assigning twice changes nothing.")
    async def assign_grid_duty(self, info: Info, member_id: strawberry.ID,
                               grid_id: strawberry.ID) -> t.GridDutyPayload:
        info.context.caller.require_writer("assignGridDuty")
        grid = await _in_scope(info, str(grid_id), Label.REGION, "grid")
        if grid.get("level") != RegionLevel.GRID.value:
            raise ValidationFailed(f"region {grid.id!r} is a {grid.get('level') or 'region without a level'}, "
                                   "not a grid; members are responsible for grids")
        member = await _member(info, str(member_id))
        done = await info.context.store.upsert_relationships(RelType.RESPONSIBLE_FOR, Label.MEMBER, Label.REGION,
                                                             [RelRow(member.id, grid.id)])
        return t.GridDutyPayload(grid=wrap(grid), member_id=strawberry.ID(member.id), created=done.created > 0)

    @strawberry.mutation(description="Create or update service centres with the region each is IN, what it offers "
                                     "(given offers replace the old list) and who runs it. Idempotent on the ids.")
    async def upsert_service_centres(self, info: Info, rows: list[t.ServiceCentreInput]) -> UpsertPayload:
        info.context.caller.require_writer("upsertServiceCentres")
        _batch(rows, "upsertServiceCentres")
        await _linked(info, (str(r.region_id) for r in rows), Label.REGION, "region")
        await _linked(info, (str(r.run_by_id) for r in rows if r.run_by_id is not None), Label.ORGANISATION,
                      "organisation")
        for r in rows:
            if r.area_m2 is not None and r.area_m2 < 0:
                raise ValidationFailed(f"service centre {str(r.id)!r}: areaM2 {r.area_m2} must not be negative")
        data: list[dict[str, object]] = [
            {k: v for k, v in {"id": str(r.id), "name": r.name, "offers": _offers(r.offers),
                               "areaM2": r.area_m2}.items() if v is not None} for r in rows]
        groups = [RelGroup(RelType.IN, Label.SERVICE_CENTRE, Label.REGION,
                           [RelRow(str(r.id), str(r.region_id)) for r in rows])]
        run = [RelRow(str(r.id), str(r.run_by_id)) for r in rows if r.run_by_id is not None]
        if run:
            groups.append(RelGroup(RelType.RUN_BY, Label.SERVICE_CENTRE, Label.ORGANISATION, run))
        return await _upsert_placed(info, Label.SERVICE_CENTRE, data, groups, "service centres")
