"""me: the caller's role and region scope."""

from __future__ import annotations

import strawberry

from service.api.access.types import Caller
from service.api.shared.nodes import Info


@strawberry.type
class AccessQuery:
    @strawberry.field(description="Who you are to this API: role and region scope.")
    def me(self, info: Info) -> Caller:
        caller = info.context.caller
        region = None if caller.region_id is None else strawberry.ID(caller.region_id)
        return Caller(role=caller.role.value, region_id=region)
