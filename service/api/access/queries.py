"""me: the caller's role and region scope; apiKeys: the stored keys, for admin."""

from __future__ import annotations

import strawberry

from service.api.access.types import ApiKey, Caller
from service.api.shared.nodes import Info
from service.keys import list_keys, now_utc
from service.roles import Role


@strawberry.type
class AccessQuery:
    @strawberry.field(description="Who you are to this API: role and region scope.")
    def me(self, info: Info) -> Caller:
        caller = info.context.caller
        region = None if caller.region_id is None else strawberry.ID(caller.region_id)
        return Caller(role=caller.role.value, region_id=region, key_id=caller.key_id)

    @strawberry.field(description="The stored API keys (alliance keys), oldest first: ids, roles, regions, dates; "
                                  "never a secret or a hash. Admin keys only.")
    async def api_keys(self, info: Info) -> list[ApiKey]:
        info.context.caller.require_role(frozenset({Role.ADMIN}), "listing the API keys")
        now = now_utc()
        return [ApiKey(id=strawberry.ID(k.id), role=k.role.value,
                       region_id=None if k.region_id is None else strawberry.ID(k.region_id), note=k.note,
                       created=k.created, expires=k.expires, revoked=k.revoked, rotated=k.rotated, state=k.state(now))
                for k in await list_keys(info.context.store)]
