"""The caller as the API sees it."""

from __future__ import annotations

import strawberry


@strawberry.type
class Caller:
    role: str
    region_id: strawberry.ID | None
    key_id: str | None = strawberry.field(default=None, description="The key's id (never its secret).")


@strawberry.type(description="A stored API key (alliance keys create): never its secret or hash.")
class ApiKey:
    id: strawberry.ID
    role: str
    region_id: strawberry.ID | None
    note: str | None
    created: str
    expires: str | None = strawberry.field(description="When it stops working (UTC); null: never.")
    revoked: str | None
    rotated: str | None = strawberry.field(description="When its secret was last replaced (alliance keys rotate).")
    state: str = strawberry.field(description="active, expired or revoked.")
