"""me: the caller's role and region scope; apiKeys: the stored keys, for admin."""

from __future__ import annotations

import strawberry

from service.api.access.types import ApiKey, Caller
from service.api.shared.nodes import Info, build
from service.keys import key_nodes
from service.roles import Role


@strawberry.type
class AccessQuery:
    @strawberry.field(description="Who you are to this API: role and region scope.")
    def me(self, info: Info) -> Caller:
        caller = info.context.caller
        region = None if caller.region_id is None else strawberry.ID(caller.region_id)
        return Caller(role=caller.role.value, region_id=region)

    @strawberry.field(description="The stored API keys (alliance keys), oldest first: ids, roles, regions, dates; "
                                  "never a secret or a hash. Admin keys only.")
    async def api_keys(self, info: Info) -> list[ApiKey]:
        info.context.caller.require_role(frozenset({Role.ADMIN}), "listing the API keys")
        return [build(ApiKey, node) for node in await key_nodes(info.context.store)]
