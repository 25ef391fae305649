"""The caller as the API sees it."""

from __future__ import annotations

import strawberry


@strawberry.type
class Caller:
    role: str
    region_id: strawberry.ID | None
