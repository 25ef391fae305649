"""Teams: upsert them with their organiser, and members join them."""

from __future__ import annotations

import strawberry

from service.api.shared.nodes import Info, wrap
from service.api.shared.writes import UpsertPayload, check_batch, in_scope, linked, member, upsert_placed
from service.api.teams.types import TeamInput, TeamMembershipPayload
from service.graph.types import RelGroup, RelRow
from service.model import Label, RelType, TeamKind


@strawberry.type
class TeamMutation:
    @strawberry.mutation(description="Create or update teams (志愿服务队, 党员突击队, 智囊团) with the organisation "
                                     "organising each. Idempotent on the ids.")
    async def upsert_teams(self, info: Info, rows: list[TeamInput]) -> UpsertPayload:
        info.context.caller.require_writer("upsertTeams")
        check_batch(rows, "upsertTeams")
        await linked(info, (str(r.organiser_id) for r in rows), Label.ORGANISATION, "organisation")
        data: list[dict[str, object]] = [{"id": str(r.id), "name": r.name, "kind": TeamKind(r.kind).value}
                                         for r in rows]
        organised = RelGroup(RelType.ORGANISED_BY, Label.TEAM, Label.ORGANISATION,
                             [RelRow(str(r.id), str(r.organiser_id)) for r in rows])
        return await upsert_placed(info, Label.TEAM, data, [organised], "teams")

    @strawberry.mutation(description="A member joins a team (SERVES_IN). Joining twice changes nothing.")
    async def join_team(self, info: Info, member_id: strawberry.ID, team_id: strawberry.ID) -> TeamMembershipPayload:
        info.context.caller.require_writer("joinTeam")
        team = await in_scope(info, str(team_id), Label.TEAM, "team")
        # only the team is scope-checked: members of units elsewhere serve where they live (双报到,
        # service/region_scope.py LINKED_FROM_ELSEWHERE)
        joining = await member(info, str(member_id))
        done = await info.context.store.upsert_relationships(RelType.SERVES_IN, Label.MEMBER, Label.TEAM,
                                                             [RelRow(joining.id, team.id)])
        return TeamMembershipPayload(team=wrap(team), member_id=strawberry.ID(joining.id), created=done.created > 0)
