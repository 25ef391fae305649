"""The caller as the API sees it."""

from __future__ import annotations

import strawberry

from service.api.shared.nodes import Entity, entity
from service.graph.types import Node
from service.keys import key_record, now_utc
from service.model import Label


@strawberry.type
class Caller:
    role: str
    region_id: strawberry.ID | None



@entity(Label.API_KEY)
@strawberry.type(description="A stored API key (alliance keys create), for admin keys: never its secret or hash.")
class ApiKey(Entity):
    role: str
    region_id: strawberry.ID | None
    note: str | None
    # createdAt: `created` is an import's count of created rows (Int), and a query asking both on `node` must validate
    created: str = strawberry.field(name="createdAt", description="When it was made (UTC).")
    expires: str | None = strawberry.field(description="When it stops working (UTC); null: never.")
    revoked: str | None = strawberry.field(description="When it was revoked (UTC); it no longer works.")
    rotated: str | None = strawberry.field(description="When its secret was last replaced (alliance keys rotate).")
    raw: strawberry.Private[Node]

    @strawberry.field(description="active, expired or revoked.")
    def state(self) -> str:
        return key_record(self.raw).state(now_utc())
